"""The service report in words: every cell written in one language, for the page, PDF, CSV and command.

Pure functions: the caller passes the translation function and the language, so the page
(the visitor's language), the PDF and the CSV files (Indonesian, the office's) and the
command line write the same figures the same way. Numbers follow the language (Indonesian
"66,7", English "66.7"); a CSV file has no thousands separator and the decimal sign its
separator allows (a ';' file is for Excel in the Indonesian locale, where ',' is the decimal sign).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from library import clock as dates
from library.i18n import N_
from library.reports.periods import Period, PeriodKind
from library.reports.report import QualityReport
from library.reports.tables import Cell, Chart, Kind, Label, Section, Table

Translate = Callable[[str], str]
NOTHING = "\u2013"  # an en dash: nothing to measure
PATTERNS = {
    Kind.COUNT: "#,##0",
    Kind.PERCENT: "#,##0.0",
    Kind.MINUTES: "#,##0.0",
    Kind.HOURS: "#,##0.0",
    Kind.SCORE: "#,##0.00",
    Kind.INDEX: "#,##0.00",
}
NUMERIC = frozenset(PATTERNS)


@dataclass(frozen=True)
class Writer:
    """How to write cells: a language, its translations, and for CSV the decimal sign."""

    language: str  # "id" or "en"
    translate: Translate
    decimal_sign: str | None = None  # CSV: "." or ","; None: the language's, with thousands grouped

    def cell(self, value: Cell, kind: Kind) -> str:
        """Return one cell as text."""
        if value is None:
            return "" if self.decimal_sign else NOTHING
        if isinstance(value, Label):
            return self.label(value, grade=kind is Kind.GRADE)
        if kind in NUMERIC and isinstance(value, int | float | Decimal):
            return self.number(value, kind)
        if isinstance(value, dt.date):
            return (
                value.isoformat()
                if self.decimal_sign
                else dates.day_text(value, self.language, width="medium")
            )
        return str(value)

    def number(self, value: float | Decimal, kind: Kind) -> str:
        """Return a number with the decimals its kind has."""
        if self.decimal_sign is None:
            return format_decimal(value, PATTERNS[kind], locale=self.language)
        decimals = PATTERNS[kind].count("0") - 1
        return f"{value:.{decimals}f}".replace(".", self.decimal_sign)

    def label(self, value: Label, grade: bool = False) -> str:
        """Return the words of a label: the translated message, or the name in the language."""
        words = self.translate(value.message) if value.message else self.name(value)
        return f"{value.code} ({words})" if grade else words

    def name(self, value: Label) -> str:
        """Return an office-data name in the writer's language (Indonesian when it has no other)."""
        return value.english if self.language == "en" and value.english else value.indonesian

    def title(self, title: str, subject: Label | None) -> str:
        """Return a table's or chart's title, with the service it is about."""
        words = self.translate(title)
        return f"{words}: {self.label(subject)}" if subject is not None else words


@dataclass(frozen=True)
class ShownBar:
    """One bar: what it names, its value in words, and its length as a share of the full scale."""

    label: str
    value: str
    share: float | None  # 0-1; None: nothing to measure


@dataclass(frozen=True)
class ShownChart:
    """A chart in words: its title, a sentence saying what it shows, its bars."""

    key: str
    title: str
    description: str
    bars: tuple[ShownBar, ...]


@dataclass(frozen=True)
class ShownTable:
    """A table in words, with the charts drawn from it."""

    key: str
    title: str
    headings: tuple[str, ...]
    numeric: tuple[bool, ...]  # each column: a number, aligned right
    rows: tuple[tuple[str, ...], ...]
    empty: str
    charts: tuple[ShownChart, ...]


@dataclass(frozen=True)
class ShownSection:
    """A section in words."""

    key: str
    title: str
    note: str
    tables: tuple[ShownTable, ...]


@dataclass(frozen=True)
class ReportDocument:
    """What the PDF holds, in words: its heading lines and its sections."""

    title: str
    office: str
    period: str
    details: tuple[str, ...]  # time zone, working days, when it was made
    footer: str  # on every page, before the page number
    page_word: str  # "Halaman"
    sections: tuple[ShownSection, ...]


def show_table(table: Table, section: Section, writer: Writer) -> ShownTable:
    """Return a table and its charts in words."""
    kinds = [column.kind for column in table.columns]
    return ShownTable(
        key=table.key,
        title=writer.title(table.title, table.subject),
        headings=tuple(writer.translate(column.heading) for column in table.columns),
        numeric=tuple(kind in NUMERIC for kind in kinds),
        rows=tuple(tuple(writer.cell(v, k) for v, k in zip(row, kinds, strict=True)) for row in table.rows),
        empty=writer.translate(table.empty) if table.empty else "",
        charts=tuple(show_chart(chart, table, writer) for chart in section.charts_of(table)),
    )


def show_chart(chart: Chart, table: Table, writer: Writer) -> ShownChart:
    """Return a chart's bars in words, scaled, with a sentence listing them for screen readers."""
    kind = table.columns[table.column(chart.value_column)].kind
    label_kind = table.columns[table.column(chart.label_column)].kind
    scale = chart.scale(table)
    bars = tuple(
        ShownBar(
            label=writer.cell(name, label_kind),
            value=writer.cell(value, kind),
            share=None if value is None else max(0.0, min(1.0, value / scale)),
        )
        for name, value in chart.bars(table)
    )
    title = writer.title(chart.title, chart.subject)
    listed = "; ".join(f"{bar.label}: {bar.value}" for bar in bars)
    return ShownChart(chart.key, title, f"{title}. {listed}." if bars else title, bars)


def show_section(section: Section, writer: Writer) -> ShownSection:
    """Return a section in words."""
    return ShownSection(
        key=section.key,
        title=writer.translate(section.title),
        note=writer.translate(section.note) if section.note else "",
        tables=tuple(show_table(table, section, writer) for table in section.tables),
    )


def show_report(report: QualityReport, writer: Writer) -> tuple[ShownSection, ...]:
    """Return every section of the report in words."""
    return tuple(show_section(section, writer) for section in report.sections)


def period_words(period: Period, writer: Writer) -> str:
    """Name the period: "23 November 2026", "November 2026", "Quarter 4 2026 (1 Oct 2026 - 31 Dec 2026)"."""
    language = writer.language
    first, last = (dates.day_text(day, language, width="medium") for day in (period.start, period.end))
    if period.kind is PeriodKind.DAY:
        return dates.day_text(period.start, language, width="full")
    if period.kind is PeriodKind.MONTH:
        return format_date(period.start, "LLLL y", locale=language)
    if period.kind is PeriodKind.QUARTER:
        named = writer.translate(N_("Quarter %(quarter)s %(year)s")) % {
            "quarter": period.quarter,
            "year": period.start.year,
        }
        return f"{named} ({first} \u2013 {last})"
    if period.kind is PeriodKind.YEAR:
        return str(period.start.year)
    return f"{first} \u2013 {last}"

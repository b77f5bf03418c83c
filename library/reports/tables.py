"""What a report is made of, whatever shows it: sections of tables, and charts drawn from them.

The report's figures are plain values in tables whose columns say what kind of value each
holds, so the page, the CSV files, the PDF and the command's JSON all show the same figures
from one place, each formatting them its own way. Words are catalogue messages (translated
when shown) or names from office data in both languages (`Label`). A section is a unit a
new area plugs in (complaints are one): a title, its tables and its charts.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal


class Kind(enum.StrEnum):
    """What a column holds, which says how to write it."""

    TEXT = "text"  # words from the data, shown as they are (a ticket code, a reason, a title)
    LABEL = "label"  # a Label: a catalogue message or an office's name, by the reader's language
    GRADE = "grade"  # a Label whose code is the grade letter
    COUNT = "count"  # a whole number
    PERCENT = "percent"  # a float with one decimal, 0-100
    MINUTES = "minutes"  # a float with one decimal
    HOURS = "hours"  # a float with one decimal
    SCORE = "score"  # a Decimal with two decimals (an element's mean score, NRR, 1-4)
    INDEX = "index"  # a Decimal with two decimals (the IKM, 25-100)
    DATE = "date"  # an office-local date


@dataclass(frozen=True)
class Label:
    """Something named: a stable code for scripts, and words for people.

    Either `message`, a catalogue message translated when shown, or `indonesian` and
    `english`, names from office data (a service's name).
    """

    code: str
    message: str = ""
    indonesian: str = ""
    english: str = ""


Cell = str | int | float | Decimal | dt.date | Label | None  # None: nothing to measure


@dataclass(frozen=True)
class Column:
    """One column: its key (in JSON and CSV file names), its heading (a catalogue message), its kind."""

    key: str
    heading: str
    kind: Kind


@dataclass(frozen=True)
class Table:
    """Rows of figures under named columns, with the words to show when there are none.

    The title is a catalogue message; a table about one service names it as its `subject`
    ("Mean score per element: Library").
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty: str  # a catalogue message: "No breaches in this period."
    subject: Label | None = None

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"a row of {self.key} has {len(row)} cells for {len(self.columns)} columns")

    def column(self, key: str) -> int:
        """Return the position of a column by its key."""
        return next(i for i, column in enumerate(self.columns) if column.key == key)


@dataclass(frozen=True)
class Chart:
    """A bar chart of one column of a table, one bar a row, against a scale from 0 to `maximum`.

    The table is the chart's text alternative: pages show it next to the chart.
    """

    key: str
    title: str  # a catalogue message
    table: str  # the key of the table it draws
    label_column: str  # the column naming each bar
    value_column: str  # the column of the bars' lengths
    maximum: float | None  # None: the largest value
    subject: Label | None = None

    def bars(self, table: Table) -> tuple[tuple[Cell, float | None], ...]:
        """Return each bar's name and length (None when there is nothing to measure)."""
        named, valued = table.column(self.label_column), table.column(self.value_column)
        return tuple(
            (row[named], None if row[valued] is None else float(row[valued]))  # type: ignore[arg-type]
            for row in table.rows
        )

    def scale(self, table: Table) -> float:
        """Return the value a full-length bar stands for."""
        if self.maximum is not None:
            return self.maximum
        return max((value for _, value in self.bars(table) if value is not None), default=0.0) or 1.0


@dataclass(frozen=True)
class Section:
    """One part of the report: a title, a note on what it counts, its tables and charts."""

    key: str
    title: str  # a catalogue message
    note: str  # a catalogue message saying what is counted, or ""
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...] = ()

    def table(self, key: str) -> Table:
        """Return one of the section's tables by its key."""
        return next(table for table in self.tables if table.key == key)

    def charts_of(self, table: Table) -> tuple[Chart, ...]:
        """Return the charts drawn from a table."""
        return tuple(chart for chart in self.charts if chart.table == table.key)

"""The report in words: numbers as each language and file writes them, names, grades, bars."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from library.reports.periods import Period, PeriodKind
from library.reports.tables import Chart, Column, Kind, Label, Section, Table
from library.reports.words import Writer, period_words, show_table
from webapp.reports.charts import LONGEST_NAME, ROW, WIDTH, bar_chart, short

INDONESIAN = Writer("id", lambda m: {"Library": "Perpustakaan", "Very good": "Sangat baik"}.get(m, m))
ENGLISH = Writer("en", lambda m: m)


@pytest.mark.parametrize(
    "writer, value, kind, text",
    [
        (INDONESIAN, 1234, Kind.COUNT, "1.234"),
        (ENGLISH, 1234, Kind.COUNT, "1,234"),
        (INDONESIAN, 66.7, Kind.PERCENT, "66,7"),
        (ENGLISH, 66.7, Kind.PERCENT, "66.7"),
        (INDONESIAN, Decimal("80.25"), Kind.INDEX, "80,25"),
        (Writer("id", str, decimal_sign=","), 1234.5, Kind.MINUTES, "1234,5"),
        (Writer("id", str, decimal_sign="."), Decimal("3.10"), Kind.SCORE, "3.10"),
        (INDONESIAN, None, Kind.MINUTES, "\u2013"),
        (Writer("id", str, decimal_sign="."), None, Kind.MINUTES, ""),
        (INDONESIAN, dt.date(2026, 8, 17), Kind.DATE, "17 Agu 2026"),
        (Writer("id", str, decimal_sign=","), dt.date(2026, 8, 17), Kind.DATE, "2026-08-17"),
    ],
)
def test_a_cell_is_written_as_its_language_or_file_writes_it(writer, value, kind, text) -> None:
    assert writer.cell(value, kind) == text


def test_names_come_from_the_catalogue_or_the_office_data_in_the_writers_language() -> None:
    service = Label("library", indonesian="Perpustakaan", english="Library")
    assert (INDONESIAN.cell(service, Kind.LABEL), ENGLISH.cell(service, Kind.LABEL)) == (
        "Perpustakaan",
        "Library",
    )
    assert INDONESIAN.cell(Label("A", message="Very good"), Kind.GRADE) == "A (Sangat baik)"
    assert INDONESIAN.cell(Label("all", message="Library"), Kind.LABEL) == "Perpustakaan"


def test_the_period_is_named_by_its_kind() -> None:
    assert (
        period_words(Period(PeriodKind.MONTH, dt.date(2026, 8, 1), dt.date(2026, 8, 31)), INDONESIAN)
        == "Agustus 2026"
    )
    quarter = Period(PeriodKind.QUARTER, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_words(quarter, ENGLISH) == "Quarter 4 2026 (1 Oct 2026 \u2013 31 Dec 2026)"
    assert (
        period_words(Period(PeriodKind.YEAR, dt.date(2026, 1, 1), dt.date(2026, 12, 31)), ENGLISH) == "2026"
    )


def table_with_bars(*values: float | None) -> tuple[Table, Section]:
    """Return a table of bars named a, b, c... and its section with a chart of them up to 100."""
    columns = (Column("name", "Name", Kind.TEXT), Column("share", "Share", Kind.PERCENT))
    table = Table("t", "Title", columns, tuple((chr(97 + n), v) for n, v in enumerate(values)), "")
    chart = Chart("c", "Chart", "t", "name", "share", maximum=100.0)
    return table, Section("s", "Section", "", (table,), (chart,))


def test_a_bar_is_as_long_as_its_share_of_the_scale_and_the_description_lists_every_bar() -> None:
    table, section = table_with_bars(50.0, None, 100.0)
    shown = show_table(table, section, ENGLISH).charts[0]
    assert [bar.share for bar in shown.bars] == [0.5, None, 1.0]
    assert shown.description == "Chart. a: 50.0; b: \u2013; c: 100.0."
    shape = bar_chart(shown)
    assert [bar.width for bar in shape.bars] == [shape.track / 2, 0.0, shape.track]
    assert shape.track < WIDTH and shape.height == 3 * ROW


def test_a_long_name_is_cut_with_an_ellipsis_to_fit_its_line() -> None:
    name = "Statistik Kesejahteraan Rakyat Kota Metro Tahun 2024 Menurut Kecamatan"
    assert short(name).endswith("\u2026") and len(short(name)) == LONGEST_NAME
    assert short("Inflasi") == "Inflasi"

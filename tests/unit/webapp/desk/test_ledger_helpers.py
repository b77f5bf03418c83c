"""The small helpers of the ledger pages: page ranges for a trace, CSV lines safe for spreadsheets."""

from __future__ import annotations

import pytest

from webapp.desk.ledger import page_ranges
from webapp.spreadsheet import csv_line


@pytest.mark.parametrize(
    "pages, text",
    [
        ((1,), "1"),
        ((1, 2, 3), "1\u20133"),
        ((7, 1, 2, 9, 10, 11), "1\u20132, 7, 9\u201311"),
        ((3, 3, 4), "3\u20134"),
    ],
)
def test_page_numbers_are_written_as_ranges(pages, text) -> None:
    assert page_ranges(pages) == text


@pytest.mark.parametrize("cell", ["=1+1", "+62 812", "-5", "@SUM(A1)", "\tx"])
def test_a_cell_a_spreadsheet_would_evaluate_is_written_as_text(cell) -> None:
    assert csv_line([cell]).startswith(("'", "\"'"))


def test_ordinary_cells_are_written_unchanged_with_csv_quoting() -> None:
    assert csv_line(["Dewi, Lestari", "2026-03-05 23:30:00"]) == '"Dewi, Lestari",2026-03-05 23:30:00\r\n'

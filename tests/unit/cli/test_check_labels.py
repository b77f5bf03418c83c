"""`pustaka check` says which label sheet labels are printed on, and fails on one they cannot be."""

from __future__ import annotations

from cli.check_labels import check_labels
from library.settings import Settings


def test_the_label_line_names_the_sheet_and_how_new_copies_are_numbered() -> None:
    line = check_labels(Settings.from_env({}, label_sheet="a4-4x10", office="1871"))
    assert (
        line.ok
        and line.detail == "a4-4x10: 40 labels of 48.5 x 25.4 mm a sheet; new copies numbered like 1871000001"
    )


def test_a_label_sheet_that_cannot_be_printed_on_fails_the_check_but_not_the_start() -> None:
    line = check_labels(Settings.from_env({"PUSTAKA_LABEL_SHEET": "tom-jerry-103"}))
    assert not line.ok and line.required
    assert "PUSTAKA_LABEL_SHEET must name a sheet" in line.detail and "PUSTAKA_LABEL_SHEET" in line.hint

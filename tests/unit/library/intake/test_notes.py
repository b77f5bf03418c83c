"""The ingest report's notes: one line per kind of active content removed, kept as JSON and read back."""

from __future__ import annotations

from library.intake.notes import (
    REMOVED,
    REMOVED_LEAD,
    REMOVED_ONCE,
    Note,
    read_notes,
    removal_notes,
    stored_notes,
)
from watermark.pdf.active_content import ActiveContent


def test_every_kind_the_engine_removes_has_its_line() -> None:
    assert {kind.value for kind in ActiveContent} == set(REMOVED) | set(REMOVED_ONCE)


def test_nothing_removed_says_nothing() -> None:
    assert removal_notes([]) == []


def test_each_kind_is_counted_after_a_lead_line() -> None:
    removed = ["embedded_file", ActiveContent.JAVASCRIPT, ActiveContent.EMBEDDED_FILE, ActiveContent.XFA]
    assert removal_notes(removed) == [
        Note(REMOVED_LEAD),
        Note(*REMOVED["javascript"], 1),
        Note(*REMOVED["embedded_file"], 2),
        Note(REMOVED_ONCE["xfa"]),
    ]


def test_a_kind_this_table_does_not_know_is_still_counted() -> None:
    assert removal_notes(["a_new_kind"])[-1] == Note(*REMOVED["other_action"], 1)


def test_notes_read_back_as_they_were_kept_beside_older_plain_ones() -> None:
    notes = [Note("The PDF was damaged and has been repaired."), *removal_notes(["launch", "launch"])]
    kept = stored_notes(notes)
    assert kept[0] == "The PDF was damaged and has been repaired." and kept[-1]["num"] == 2
    assert read_notes(kept) == tuple(notes)
    assert read_notes(None) == ()

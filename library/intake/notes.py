"""What the report of an ingest says besides success: a repair, active content removed.

The kinds of active content are those of `watermark.pdf.active_content.ActiveContent`, by value
(this module is read by pages that never open a PDF). A job keeps its notes as JSON: a plain
message, or a message with its plural and a count (`{"message": ..., "plural": ..., "num": 2}`).
The messages are catalogue ids: the desk page and the CLI translate them when they show them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from library.i18n import N_, N_plural

REMOVED_LEAD = N_(
    "This PDF carried active content. It was removed from the copies readers get; "
    "the master file is kept as it came in."
)
REMOVED = {
    "javascript": N_plural("JavaScript removed (%(num)s script).", "JavaScript removed (%(num)s scripts)."),
    "launch": N_plural(
        "%(num)s action that opens a program or another file removed.",
        "%(num)s actions that open a program or another file removed.",
    ),
    "form_submit": N_plural(
        "%(num)s form action that sends or imports data removed.",
        "%(num)s form actions that send or import data removed.",
    ),
    "remote_link": N_plural(
        "%(num)s link to another PDF file removed.", "%(num)s links to other PDF files removed."
    ),
    "media": N_plural(
        "%(num)s multimedia item (video, sound or 3D) removed.",
        "%(num)s multimedia items (video, sound or 3D) removed.",
    ),
    "embedded_file": N_plural("%(num)s embedded file removed.", "%(num)s embedded files removed."),
    "automatic_action": N_plural("%(num)s automatic action removed.", "%(num)s automatic actions removed."),
    "other_action": N_plural(
        "%(num)s action of an unknown kind removed.", "%(num)s actions of unknown kinds removed."
    ),
}
REMOVED_ONCE = {
    "xfa": N_("XFA form removed."),
    "portfolio": N_("PDF portfolio layout removed; the pages are shown as usual."),
}


@dataclass(frozen=True)
class Note:
    """One line of an ingest report: a message, or a message with its plural and a count."""

    message: str
    plural: str = ""
    num: int = 0


def removal_notes(removed: Iterable[str]) -> list[Note]:
    """Return the lines that tell what active content was removed, kind by kind; none if nothing."""
    counts = Counter(str(kind) for kind in removed)
    if not counts:
        return []
    notes = [Note(REMOVED_LEAD)]
    for kind, (singular, plural) in REMOVED.items():
        if counts[kind]:
            notes.append(Note(singular, plural, counts[kind]))
    notes += [Note(message) for kind, message in REMOVED_ONCE.items() if counts[kind]]
    unknown = sum(n for kind, n in counts.items() if kind not in REMOVED and kind not in REMOVED_ONCE)
    if unknown:  # a kind the engine learnt and this table not yet: still counted, never hidden
        notes.append(Note(*REMOVED["other_action"], unknown))
    return notes


def stored_notes(notes: Sequence[Note]) -> list[Any]:
    """Return notes as a job keeps them (JSON)."""
    return [note.message if not note.plural else vars(note).copy() for note in notes]


def read_notes(stored: Sequence[Any] | None) -> tuple[Note, ...]:
    """Return a job's notes as it keeps them (plain messages, or messages with a count)."""
    notes = []
    for entry in stored or ():
        if isinstance(entry, dict):
            notes.append(Note(str(entry["message"]), str(entry.get("plural", "")), int(entry.get("num", 0))))
        else:
            notes.append(Note(str(entry)))
    return tuple(notes)

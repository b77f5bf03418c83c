"""The words of a queue ticket: clean one-line text, the issue time and the queue in both languages.

The ticket is bilingual on paper (Indonesian first, English beneath), so its fixed words are
written here in both languages rather than looked up in the one-language-per-request catalogue.
Day and month names come from the tables below, never from the machine's locale.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable

from library.clock import office_zone

DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_ID = (
    *("Januari", "Februari", "Maret", "April", "Mei", "Juni"),
    *("Juli", "Agustus", "September", "Oktober", "November", "Desember"),
)
MONTHS_EN = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
LONGEST_INPUT = 400  # characters looked at per value: a ticket shows a few lines of each
MARKS_PER_LETTER = 2  # combining marks kept after one letter (enough for any real name)
# Control, format (bidi overrides, zero-width joiners), surrogate, private-use, unassigned.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def clean_line(text: str | None, covers: Callable[[str], bool] = lambda ch: True) -> str:
    """Return `text` as one printable line: no control characters, no glyph the font lacks."""
    text = unicodedata.normalize("NFC", (text or "")[:LONGEST_INPUT])
    kept: list[str] = []
    marks = 0
    for ch in text:
        if ch.isspace():
            ch = " "
        category = unicodedata.category(ch)
        if category in _DROPPED_CATEGORIES or not (ch == " " or covers(ch)):
            continue
        if category in ("Mn", "Me"):
            if not kept or kept[-1] == " " or marks >= MARKS_PER_LETTER:
                continue
            marks += 1
        else:
            marks = 0
        kept.append(ch)
    return " ".join("".join(kept).split())


def first_name(name: str | None) -> str:
    """Return the first word of a name: a ticket left on a table shows no more of a person."""
    words = (name or "").split()
    return words[0] if words else ""


def issued_at_lines(issued_at: dt.datetime, timezone: str | None) -> tuple[str, str]:
    """Return the issue time in the office's zone, in Indonesian and in English."""
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be an aware datetime")
    local = issued_at.astimezone(office_zone(timezone))
    zone = local.tzname() or ""
    suffix = f" {zone}" if zone.isalpha() else ""  # WIB, WITA, WIT; not "+07"
    clock = f"{local:%H:%M}{suffix}"
    day, month = local.weekday(), local.month - 1
    return (
        f"{DAYS_ID[day]}, {local.day} {MONTHS_ID[month]} {local.year} {clock}",
        f"{DAYS_EN[day]}, {local.day} {MONTHS_EN[month]} {local.year} {clock}",
    )


def people_ahead_lines(people_ahead: int) -> tuple[str, str]:
    """Return how many people wait ahead, in Indonesian and in English."""
    if people_ahead == 0:
        return "Tidak ada antrean di depan Anda", "No one is ahead of you"
    noun = "person" if people_ahead == 1 else "people"
    return f"Antrean di depan Anda: {people_ahead} orang", f"{people_ahead} {noun} ahead of you"

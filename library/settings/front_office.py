"""The settings of the front office's queue: priority service, and the board's voice.

Declared apart from the rest (`library.settings.Settings` inherits them); each is a PUSTAKA_*
variable like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from library.settings.declare import setting as _setting


@dataclass(frozen=True)
class FrontOfficeSettings:
    """Who is called first, and how the board says a call."""

    priority_groups: str = _setting(
        "elderly,disability,pregnant,toddler",
        "Priority groups a walk-in visitor may declare at the kiosk and staff may mark, in the order shown "
        "(comma-separated among elderly, disability, pregnant, toddler); empty: no priority service.",
    )
    priority_streak: int = _setting(
        2, "Priority tickets a counter calls in a row before the oldest regular ticket waiting goes first."
    )
    priority_margin_minutes: int = _setting(
        2, "A regular ticket this close to its target (minutes) is called before any priority ticket."
    )
    voice_numbers: str = _setting(
        "whole", "How the board says a ticket's number: 'whole' (P dua belas) or 'digits' (P nol satu dua)."
    )
    voice_english: str = _setting(
        "after", "A call for a visitor who chose English: 'after' (Indonesian, then English) or 'only'."
    )
    voice_dir: str = _setting(
        "", "Folder of the board's voice clips, made by `pustaka voice build`. Empty: INSTANCE_DIR/voice."
    )
    voice_recordings_dir: str = _setting(
        "",
        "Folder of the office's own recordings (<lang>/<clip> as WAV, MP3 or OGG), which win. "
        "Empty: VOICE_DIR.",
    )

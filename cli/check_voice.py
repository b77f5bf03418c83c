"""The `pustaka check` line of the board's voice: its clips in both languages, and espeak-ng."""

from __future__ import annotations

from cli.check_result import Check
from library.frontoffice.voice.clips import VoiceFolders, missing_clips, synthesizer_voices
from library.frontoffice.voice.phrases import LANGUAGES
from library.settings import Settings

SHOWN = 6  # missing clips named per language; the rest counted


def check_voice(settings: Settings) -> Check:
    """Check that the board has every clip of its spoken call, and that espeak-ng could make them."""
    missing = missing_clips(VoiceFolders.of(settings))
    voices = synthesizer_voices()
    gaps = [_named(language, missing[language]) for language in LANGUAGES if missing[language]]
    if voices is None:
        synthesizer = "espeak-ng is not installed"
    else:
        lacking = [language for language in LANGUAGES if language not in voices]
        synthesizer = "espeak-ng has no voice for " + ", ".join(lacking) if lacking else "espeak-ng ready"
    if gaps:
        hint = (
            "Run 'pustaka voice build'." if voices else "Install espeak-ng, then run 'pustaka voice build'."
        )
        return Check(
            "board voice", False, "; ".join(gaps) + f" (the board only chimes); {synthesizer}", hint, False
        )
    return Check("board voice", True, f"every clip in {' and '.join(LANGUAGES)}; {synthesizer}")


def _named(language: str, clips: list[str]) -> str:
    """Name the first missing clips of a language and count the others."""
    more = f" and {len(clips) - SHOWN} more" if len(clips) > SHOWN else ""
    return f"{language}: missing {', '.join(clips[:SHOWN])}{more}"

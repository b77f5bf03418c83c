"""The board's spoken call as clip names: "nomor_antrean", "P", "dua_belas", "silakan_ke", "loket", "satu".

Pure functions: a call (ticket code, counter name, the visitor's language) in, the ordered clip
names out. Qmatic-class boards join short recordings the same way: a few phrases, the letters,
and the numbers in parts (units, the teens, tens, hundreds, thousands), so an office records
about 75 clips per language, not one per number. `clip_words` names every clip a call can ask for, with
the words a synthesizer says for it (`library.frontoffice.voice.clips` renders them).

The ticket's number is read as printed digit by digit ("P nol satu dua") or as a whole number
("P dua belas"), the office's choice (`PUSTAKA_VOICE_NUMBERS`); a counter's number always as a
whole number ("loket satu"). A counter named without a number ("Meja Baca") is said as "loket".
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum

LANGUAGES = ("id", "en")
LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
LARGEST = 9999  # read as a whole number up to here; a longer number digit by digit

ID_UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
EN_TEENS = (
    *("ten", "eleven", "twelve", "thirteen", "fourteen"),
    *("fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
)
EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

# The phrases around the ticket and the counter, per language, with the words said for each.
PHRASES = {
    "id": {"nomor_antrean": "nomor antrean", "silakan_ke": "silakan ke", "loket": "loket"},
    "en": {"number": "number", "please_go_to": "please go to", "counter": "counter"},
}
_TOKEN = re.compile(r"[A-Za-z]|[0-9]+")
_NUMBER = re.compile(r"[0-9]+")


class Reading(StrEnum):
    """How the board reads a ticket's number."""

    WHOLE = "whole"  # P dua belas
    DIGITS = "digits"  # P nol satu dua


class English(StrEnum):
    """When the board speaks English: for a visitor who chose English at the kiosk."""

    AFTER = "after"  # Indonesian first (for the room), then English (for the visitor)
    ONLY = "only"  # English alone


def indonesian_number(number: int) -> list[str]:
    """Return the clips of a whole number in Indonesian: 12 → dua_belas, 115 → seratus, lima_belas."""
    if not 0 <= number <= LARGEST:
        return [ID_UNITS[int(d)] for d in str(abs(number))]
    if number == 0:
        return ["nol"]
    clips = []
    thousands, rest = divmod(number, 1000)
    hundreds, rest = divmod(rest, 100)
    if thousands:
        clips.append("seribu" if thousands == 1 else f"{ID_UNITS[thousands]}_ribu")
    if hundreds:
        clips.append("seratus" if hundreds == 1 else f"{ID_UNITS[hundreds]}_ratus")
    tens, units = divmod(rest, 10)
    if tens >= 2:
        clips.append(f"{ID_UNITS[tens]}_puluh")
    elif tens == 1:
        return clips + [("sepuluh", "sebelas")[units] if units < 2 else f"{ID_UNITS[units]}_belas"]
    if units:
        clips.append(ID_UNITS[units])
    return clips


def english_number(number: int) -> list[str]:
    """Return the clips of a whole number in English: 12 → twelve, 115 → one_hundred, fifteen."""
    if not 0 <= number <= LARGEST:
        return [EN_UNITS[int(d)] for d in str(abs(number))]
    if number == 0:
        return ["zero"]
    clips = []
    thousands, rest = divmod(number, 1000)
    hundreds, rest = divmod(rest, 100)
    if thousands:
        clips.append(f"{EN_UNITS[thousands]}_thousand")
    if hundreds:
        clips.append(f"{EN_UNITS[hundreds]}_hundred")
    tens, units = divmod(rest, 10)
    if tens == 1:
        return clips + [EN_TEENS[units]]
    if tens:
        clips.append(EN_TENS[tens])
    if units:
        clips.append(EN_UNITS[units])
    return clips


def number_clips(number: int, language: str) -> list[str]:
    """Return the clips of a whole number in a language ("id" or "en")."""
    return indonesian_number(number) if language == "id" else english_number(number)


def digit_clips(digits: str, language: str) -> list[str]:
    """Return one clip per digit, as printed: "012" → nol, satu, dua."""
    units = ID_UNITS if language == "id" else EN_UNITS
    return [units[int(d)] for d in digits]


def ticket_clips(code: str, language: str, reading: Reading) -> list[str]:
    """Return the clips of a ticket's code: each letter, then its number read the office's way."""
    clips: list[str] = []
    for token in _TOKEN.findall(code):
        if token.isdigit():
            whole = reading is Reading.WHOLE and int(token) <= LARGEST
            clips += number_clips(int(token), language) if whole else digit_clips(token, language)
        else:
            clips.append(token.upper())
    return clips


def counter_clips(counter: str, language: str) -> list[str]:
    """Return the clips of a counter: "loket" and the last number in its name ("Loket 3" → loket, tiga)."""
    word = "loket" if language == "id" else "counter"
    numbers = _NUMBER.findall(counter)
    return [word] + (number_clips(int(numbers[-1]), language) if numbers else [])


def call_clips(code: str, counter: str, language: str, reading: Reading) -> list[str]:
    """Return the clips of one call in one language, in the order they are played."""
    opening, going = ("nomor_antrean", "silakan_ke") if language == "id" else ("number", "please_go_to")
    return [opening, *ticket_clips(code, language, reading), going, *counter_clips(counter, language)]


def call_languages(visitor_language: str, english: English) -> tuple[str, ...]:
    """Return the languages a call is said in, in order: Indonesian, and English for an English visitor."""
    if visitor_language != "en":
        return ("id",)
    return ("en",) if english is English.ONLY else ("id", "en")


def spoken_call(
    code: str, counter: str, visitor_language: str, reading: Reading, english: English
) -> list[tuple[str, str]]:
    """Return (language, clip) pairs of a call as the board plays it, every language in turn."""
    return [
        (language, clip)
        for language in call_languages(visitor_language, english)
        for clip in call_clips(code, counter, language, reading)
    ]


@functools.cache
def clip_words(language: str) -> dict[str, str]:
    """Return every clip a call in a language can ask for, with the words a synthesizer says for it."""
    words = dict(PHRASES[language])
    words.update({letter: letter for letter in LETTERS})
    parts = {clip for n in range(LARGEST + 1) for clip in number_clips(n, language)}
    parts |= set(digit_clips("0123456789", language))
    words.update({clip: clip.replace("_", " ") for clip in sorted(parts)})
    return words

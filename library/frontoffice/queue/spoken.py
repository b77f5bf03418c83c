"""The board's spoken call: "Nomor antrean P dua belas, silakan ke loket satu", as words a voice reads.

The board speaks each call (and each recall) with the browser's speech synthesis, in Indonesian,
then in English when the office says so or when the visitor called signed the guest book in
English (`PUSTAKA_BOARD_VOICE`). The sentence comes from the translation catalogue; this module
turns the ticket and the counter into words, so the voice never guesses how to read "P-012"
(one voice says "P minus twelve", another "P zero one two").

How the number is read is the office's choice:

- `whole` (the default): "P dua belas". Qmatic-class systems build their calls from recorded
  numbers (units, tens, hundreds), and it is what visitors hear at banks, Samsat and BPJS
  counters; the zeros that pad the printed number are not said. It is also the shortest call.
- `digits`: "P nol satu dua", one digit after another, as printed: for an office whose
  visitors read along on their tickets.

A counter's name is the office's data ("Loket 1", "Meja Konsultasi 2"); each number in it is
read as a whole number ("loket satu").
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

from library.i18n import N_

CALL_SENTENCE = N_("Queue number %(ticket)s, please go to %(counter)s.")
ID_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
EN_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
LARGEST = 9999  # beyond this a number is read digit by digit
_NUMBER = re.compile(r"[0-9]+")


class Numbers(enum.StrEnum):
    """How the board reads a ticket's number."""

    WHOLE = "whole"  # P dua belas
    DIGITS = "digits"  # P nol satu dua


@dataclass(frozen=True)
class BoardVoice:
    """What the board says at each call: in which languages, and how it reads numbers."""

    indonesian: bool = True
    english: bool = False  # always English after Indonesian (else only for a visitor who chose it)
    numbers: Numbers = Numbers.WHOLE

    @classmethod
    def parse(cls, setting: str) -> BoardVoice:
        """Return the voice a `PUSTAKA_BOARD_VOICE` value names ("off", "id", "id+en", ":digits")."""
        voice, _, numbers = setting.partition(":")
        return cls(voice != "off", voice == "id+en", Numbers(numbers or Numbers.WHOLE))


def whole_words(number: int, language: str) -> str:
    """Return a whole number in words, Indonesian ("dua belas") or English ("twelve")."""
    if number > LARGEST or number < 0:
        return " ".join(digit_words(str(number), language))
    return _indonesian(number) if language == "id" else _english(number)


def digit_words(digits: str, language: str) -> list[str]:
    """Return each digit of a string of digits in words, one after another."""
    names = ID_DIGITS if language == "id" else EN_DIGITS
    return [names[int(digit)] for digit in digits if digit.isdigit()]


def ticket_words(code: str, language: str, numbers: Numbers) -> str:
    """Return a ticket's code as words: "P-012" is "P dua belas" (whole) or "P nol satu dua" (digits)."""
    letters = "".join(c for c in code if c.isalpha())
    digits = "".join(c for c in code if c.isdigit())
    if not digits:
        return letters
    if numbers is Numbers.DIGITS:
        spoken = " ".join(digit_words(digits, language))
    else:
        spoken = whole_words(int(digits), language)
    return f"{letters} {spoken}".strip()


def counter_words(counter: str, language: str) -> str:
    """Return a counter's name with each number in it as words: "Loket 1" is "Loket satu"."""
    return _NUMBER.sub(lambda match: whole_words(int(match.group()), language), counter)


def spoken_call(
    code: str, counter: str, language: str, numbers: Numbers, translate: Callable[[str], str]
) -> str:
    """Return the sentence the board says for a call, in the language `translate` gives the sentence in."""
    return translate(CALL_SENTENCE) % {
        "ticket": ticket_words(code, language, numbers),
        "counter": counter_words(counter, language),
    }


def _indonesian(number: int) -> str:
    """Return 0 to 9999 in Indonesian words: sebelas, dua belas, seratus, seribu, dua ribu lima."""
    if number < 10:
        return ID_DIGITS[number]
    if number < 20:
        return {10: "sepuluh", 11: "sebelas"}.get(number) or f"{ID_DIGITS[number - 10]} belas"
    for size, word, one in ((1000, "ribu", "seribu"), (100, "ratus", "seratus"), (10, "puluh", "")):
        if number >= size:
            head, rest = divmod(number, size)
            said = one if head == 1 and one else f"{_indonesian(head)} {word}"
            return said if rest == 0 else f"{said} {_indonesian(rest)}"
    return ""  # not reached: every number from 20 has tens


def _english(number: int) -> str:
    """Return 0 to 9999 in English words: twelve, one hundred five, two thousand ten."""
    if number < 10:
        return EN_DIGITS[number]
    if number < 20:
        return EN_TEENS[number - 10]
    if number < 100:
        tens, rest = divmod(number, 10)
        return EN_TENS[tens] if rest == 0 else f"{EN_TENS[tens]} {EN_DIGITS[rest]}"
    size, word = (1000, "thousand") if number >= 1000 else (100, "hundred")
    head, rest = divmod(number, size)
    said = f"{_english(head)} {word}"
    return said if rest == 0 else f"{said} {_english(rest)}"

"""The board's spoken call: a ticket and a counter as words, in Indonesian and English."""

from __future__ import annotations

import pytest

from library.errors import SettingsError
from library.frontoffice.queue.spoken import (
    BoardVoice,
    Numbers,
    counter_words,
    spoken_call,
    ticket_words,
    whole_words,
)
from library.settings import Settings

INDONESIAN = {
    "Queue number %(ticket)s, please go to %(counter)s.": "Nomor antrean %(ticket)s, silakan ke %(counter)s."
}


@pytest.mark.parametrize(
    ("number", "indonesian", "english"),
    [
        (0, "nol", "zero"),
        (7, "tujuh", "seven"),
        (10, "sepuluh", "ten"),
        (11, "sebelas", "eleven"),
        (12, "dua belas", "twelve"),
        (19, "sembilan belas", "nineteen"),
        (20, "dua puluh", "twenty"),
        (45, "empat puluh lima", "forty five"),
        (100, "seratus", "one hundred"),
        (112, "seratus dua belas", "one hundred twelve"),
        (999, "sembilan ratus sembilan puluh sembilan", "nine hundred ninety nine"),
        (1000, "seribu", "one thousand"),
        (2005, "dua ribu lima", "two thousand five"),
    ],
)
def test_whole_numbers_are_read_as_people_say_them(number: int, indonesian: str, english: str) -> None:
    assert whole_words(number, "id") == indonesian
    assert whole_words(number, "en") == english


def test_p012_is_p_dua_belas_whole_and_p_nol_satu_dua_digit_by_digit() -> None:
    assert ticket_words("P-012", "id", Numbers.WHOLE) == "P dua belas"
    assert ticket_words("P-012", "id", Numbers.DIGITS) == "P nol satu dua"
    assert ticket_words("K-100", "en", Numbers.WHOLE) == "K one hundred"
    assert ticket_words("K-100", "en", Numbers.DIGITS) == "K one zero zero"


def test_a_number_beyond_what_is_read_whole_is_read_digit_by_digit() -> None:
    assert ticket_words("P-12345", "id", Numbers.WHOLE) == "P satu dua tiga empat lima"


def test_each_number_in_a_counter_name_is_read_whole() -> None:
    assert counter_words("Loket 1", "id") == "Loket satu"
    assert counter_words("Meja Konsultasi 12", "en") == "Meja Konsultasi twelve"
    assert counter_words("Loket Depan", "id") == "Loket Depan"


def test_the_call_is_the_catalogue_sentence_with_the_ticket_and_counter_as_words() -> None:
    said = spoken_call("P-012", "Loket 1", "id", Numbers.WHOLE, lambda text: INDONESIAN[text])
    assert said == "Nomor antrean P dua belas, silakan ke Loket satu."
    assert (
        spoken_call("P-012", "Loket 1", "en", Numbers.DIGITS, lambda text: text)
        == "Queue number P zero one two, please go to Loket one."
    )


@pytest.mark.parametrize(
    ("setting", "voice"),
    [
        ("id", BoardVoice(True, False, Numbers.WHOLE)),
        ("id+en", BoardVoice(True, True, Numbers.WHOLE)),
        ("id:digits", BoardVoice(True, False, Numbers.DIGITS)),
        ("off", BoardVoice(False, False, Numbers.WHOLE)),
    ],
)
def test_the_board_voice_setting_names_languages_and_numbers(setting: str, voice: BoardVoice) -> None:
    assert BoardVoice.parse(setting) == voice
    assert Settings.from_env({}, board_voice=setting).board_voice == setting


@pytest.mark.parametrize("setting", ["en", "id:roman", "on"])
def test_the_settings_refuse_a_board_voice_of_no_known_kind(setting: str) -> None:
    with pytest.raises(SettingsError, match="PUSTAKA_BOARD_VOICE"):
        Settings.from_env({}, board_voice=setting)

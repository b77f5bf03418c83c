"""The board's spoken call as clip names: Indonesian and English numbers, both readings, the counter."""

from __future__ import annotations

import pytest

from library.frontoffice.voice.phrases import (
    LARGEST,
    English,
    Reading,
    call_clips,
    clip_words,
    counter_clips,
    english_number,
    indonesian_number,
    spoken_call,
    ticket_clips,
)


@pytest.mark.parametrize(
    ("number", "clips"),
    [
        (0, ["nol"]),
        (1, ["satu"]),
        (9, ["sembilan"]),
        (10, ["sepuluh"]),
        (11, ["sebelas"]),
        (12, ["dua_belas"]),
        (19, ["sembilan_belas"]),
        (20, ["dua_puluh"]),
        (21, ["dua_puluh", "satu"]),
        (99, ["sembilan_puluh", "sembilan"]),
        (100, ["seratus"]),
        (101, ["seratus", "satu"]),
        (110, ["seratus", "sepuluh"]),
        (111, ["seratus", "sebelas"]),
        (115, ["seratus", "lima_belas"]),
        (200, ["dua_ratus"]),
        (345, ["tiga_ratus", "empat_puluh", "lima"]),
        (999, ["sembilan_ratus", "sembilan_puluh", "sembilan"]),
        (1000, ["seribu"]),
        (1012, ["seribu", "dua_belas"]),
        (2019, ["dua_ribu", "sembilan_belas"]),
    ],
)
def test_indonesian_numbers_are_read_as_people_say_them(number: int, clips: list[str]) -> None:
    assert indonesian_number(number) == clips


@pytest.mark.parametrize(
    ("number", "clips"),
    [
        (0, ["zero"]),
        (7, ["seven"]),
        (10, ["ten"]),
        (12, ["twelve"]),
        (19, ["nineteen"]),
        (40, ["forty"]),
        (42, ["forty", "two"]),
        (100, ["one_hundred"]),
        (113, ["one_hundred", "thirteen"]),
        (999, ["nine_hundred", "ninety", "nine"]),
        (3001, ["three_thousand", "one"]),
    ],
)
def test_english_numbers_are_read_as_people_say_them(number: int, clips: list[str]) -> None:
    assert english_number(number) == clips


def test_a_number_past_the_largest_said_whole_is_read_digit_by_digit() -> None:
    assert indonesian_number(LARGEST + 1) == ["satu", "nol", "nol", "nol", "nol"]


def test_a_ticket_is_read_as_a_whole_number_without_the_padding_zeros() -> None:
    assert ticket_clips("P-012", "id", Reading.WHOLE) == ["P", "dua_belas"]


def test_a_ticket_is_read_digit_by_digit_as_printed_when_the_office_chooses_it() -> None:
    assert ticket_clips("P-012", "id", Reading.DIGITS) == ["P", "nol", "satu", "dua"]
    assert ticket_clips("K-105", "en", Reading.DIGITS) == ["K", "one", "zero", "five"]


def test_the_whole_call_in_indonesian_names_the_ticket_then_the_counter() -> None:
    assert call_clips("P-012", "Loket 1", "id", Reading.WHOLE) == [
        "nomor_antrean",
        "P",
        "dua_belas",
        "silakan_ke",
        "loket",
        "satu",
    ]


def test_the_whole_call_in_english_names_the_ticket_then_the_counter() -> None:
    assert call_clips("P-012", "Loket 1", "en", Reading.DIGITS) == [
        "number",
        "P",
        "zero",
        "one",
        "two",
        "please_go_to",
        "counter",
        "one",
    ]


@pytest.mark.parametrize(
    ("counter", "clips"),
    [
        ("Loket 7", ["loket", "tujuh"]),
        ("Meja Konsultasi 12", ["loket", "dua_belas"]),
        ("loket3", ["loket", "tiga"]),
        ("Meja Baca", ["loket"]),  # a name without a number: "loket" alone
    ],
)
def test_a_counter_is_said_as_loket_and_its_number(counter: str, clips: list[str]) -> None:
    assert counter_clips(counter, "id") == clips


def test_a_visitor_who_chose_english_hears_indonesian_then_english() -> None:
    said = spoken_call("K-003", "Loket 2", "en", Reading.WHOLE, English.AFTER)
    assert [language for language, _ in said] == ["id"] * 6 + ["en"] * 6
    assert [clip for _, clip in said][6:] == ["number", "K", "three", "please_go_to", "counter", "two"]


def test_english_alone_when_the_office_chooses_it_and_indonesian_for_everyone_else() -> None:
    assert {
        language for language, _ in spoken_call("K-003", "Loket 2", "en", Reading.WHOLE, English.ONLY)
    } == {"en"}
    for language in ("id", ""):
        said = spoken_call("K-003", "Loket 2", language, Reading.WHOLE, English.ONLY)
        assert {spoken for spoken, _ in said} == {"id"}


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_clip_a_call_can_ask_for_is_in_the_set_the_build_renders(language: str) -> None:
    known = clip_words(language)
    asked = {
        clip
        for number in range(LARGEST + 2)
        for reading in Reading
        for clip in call_clips(f"Z-{number:03d}", f"Loket {number}", language, reading)
    }
    assert asked <= set(known)
    assert len(known) == 75  # 3 phrases, 26 letters, 46 number parts: what an office records


def test_a_clip_says_its_words_for_the_synthesizer() -> None:
    assert clip_words("id")["dua_belas"] == "dua belas"
    assert clip_words("id")["nomor_antrean"] == "nomor antrean"
    assert clip_words("en")["please_go_to"] == "please go to"

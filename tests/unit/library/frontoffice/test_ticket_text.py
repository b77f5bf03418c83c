"""The words of a queue ticket: one clean line per value, dates from tables, never from the locale."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from library.frontoffice.ticket_text import LONGEST_INPUT, clean_line, first_name, issued_at_lines

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Siti", "Siti"),
        ("  Siti\r\n\tNurhaliza  ", "Siti Nurhaliza"),
        ("Si\x00ti\x07\x1b", "Siti"),
        ("\u202eSiti\u200b\u200d\ufeff", "Siti"),  # bidi override, zero-width characters
        ("Nguye\u0302\u0303n", "Nguyễn"),  # composed to one letter where Unicode has one
        ("x" + "\u0301" * 20, "x\u0301\u0301"),  # a tower of accents is cut to two
        ("\u0301Siti", "Siti"),  # an accent with no letter under it
        (None, ""),
        ("\x00\x01", ""),
    ],
)
def test_a_value_becomes_one_clean_line(raw: str | None, clean: str) -> None:
    assert clean_line(raw) == clean


def test_characters_the_font_lacks_are_dropped() -> None:
    assert clean_line("Siti 张伟 Rahma", covers=lambda ch: ch.isascii()) == "Siti Rahma"


def test_only_the_start_of_a_huge_value_is_read() -> None:
    assert len(clean_line("x" * 1_000_000)) == LONGEST_INPUT


@pytest.mark.parametrize(
    ("name", "first"),
    [("Siti Nurhaliza", "Siti"), ("  Budi  ", "Budi"), ("", ""), (None, ""), ("Ni Luh Putu", "Ni")],
)
def test_a_ticket_keeps_only_the_first_word_of_a_name(name: str | None, first: str) -> None:
    assert first_name(name) == first


@pytest.mark.parametrize(
    ("day", "indonesian", "english"),
    [
        (16, "Senin, 16 November 2026", "Monday, 16 November 2026"),
        (17, "Selasa, 17 November 2026", "Tuesday, 17 November 2026"),
        (18, "Rabu, 18 November 2026", "Wednesday, 18 November 2026"),
        (19, "Kamis, 19 November 2026", "Thursday, 19 November 2026"),
        (20, "Jumat, 20 November 2026", "Friday, 20 November 2026"),
        (21, "Sabtu, 21 November 2026", "Saturday, 21 November 2026"),
        (22, "Minggu, 22 November 2026", "Sunday, 22 November 2026"),
    ],
)
def test_every_day_of_the_week_is_named_in_both_languages(day: int, indonesian: str, english: str) -> None:
    moment = dt.datetime(2026, 11, day, 9, 15, tzinfo=WIB)
    assert issued_at_lines(moment, "Asia/Jakarta") == (f"{indonesian} 09:15 WIB", f"{english} 09:15 WIB")


@pytest.mark.parametrize(
    ("month", "indonesian", "english"),
    [(1, "Januari", "January"), (5, "Mei", "May"), (8, "Agustus", "August"), (12, "Desember", "December")],
)
def test_months_are_named_in_both_languages(month: int, indonesian: str, english: str) -> None:
    moment = dt.datetime(2027, month, 1, 8, 0, tzinfo=WIB)
    lines = issued_at_lines(moment, "Asia/Jakarta")
    assert f" 1 {indonesian} 2027 08:00" in lines[0]
    assert f" 1 {english} 2027 08:00" in lines[1]


def test_a_zone_without_a_lettered_name_prints_the_time_alone() -> None:
    moment = dt.datetime(2026, 11, 22, 2, 15, tzinfo=dt.UTC)
    assert issued_at_lines(moment, "Etc/GMT-7")[0] == "Minggu, 22 November 2026 09:15"


def test_an_issue_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        issued_at_lines(dt.datetime(2026, 11, 22, 9, 15), "Asia/Jakarta")

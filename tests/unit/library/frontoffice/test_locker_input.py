"""What staff type about lockers and ID cards, read without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from library.errors import InvalidField
from library.frontoffice.lockers.admin import clean_label, parse_locker_labels
from library.frontoffice.lockers.stock import clean_card_last4, label_order, local_time, parse_card_kind
from library.models import IdCardKind


@pytest.mark.parametrize(
    ("typed", "kept"), [("1234", "1234"), ("ab9Z", "AB9Z"), ("12 34", "1234"), ("1/2-3.4", "1234")]
)
def test_the_last_four_are_kept_in_capitals_without_separators(typed: str, kept: str) -> None:
    assert clean_card_last4(typed) == kept


@pytest.mark.parametrize("typed", ["3171012345678901", "12345", "A1234567", "1234 5"])
def test_more_than_four_letters_or_digits_are_refused_as_personal_data(typed: str) -> None:
    with pytest.raises(InvalidField, match="personal data and is never stored"):
        clean_card_last4(typed)


@pytest.mark.parametrize("value", list(IdCardKind) + [k.value for k in IdCardKind])
def test_every_kind_of_card_is_read_from_its_value(value: str) -> None:
    assert parse_card_kind(value) is IdCardKind(value)


def test_a_range_keeps_the_width_of_its_first_number() -> None:
    assert parse_locker_labels("A-098..A-101") == ["A-098", "A-099", "A-100", "A-101"]
    assert parse_locker_labels("7..9") == ["7", "8", "9"]
    assert parse_locker_labels("Loker 1 .. 2") == ["Loker 1", "Loker 2"]


def test_a_label_has_its_spaces_tidied() -> None:
    assert clean_label("  Loker   Besar 1 ") == "Loker Besar 1"


def test_labels_sort_by_their_numbers() -> None:
    labels = ["A-10", "B-1", "A-2", "a-3", "Loker"]
    assert sorted(labels, key=label_order) == ["A-2", "a-3", "A-10", "B-1", "Loker"]


def test_a_time_of_today_is_written_alone_and_of_another_day_with_its_date() -> None:
    moment = dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.UTC)
    assert local_time(moment, "Asia/Jakarta", moment + dt.timedelta(hours=3)) == "09:30"
    assert local_time(moment, "Asia/Jakarta", moment + dt.timedelta(days=1)) == "2026-11-23 09:30"
    assert local_time(moment, "Asia/Jayapura", moment) == "11:30"

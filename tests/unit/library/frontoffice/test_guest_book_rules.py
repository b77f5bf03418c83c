"""The guest book's checks on plain values: every answer, the services, the signed opening time."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from library.errors import InvalidField
from library.frontoffice.guest_book import (
    FASTEST_BY_HAND,
    FORM_STARTED,
    EntryInvalid,
    FormRefused,
    GuestBookEntry,
    ServiceChoice,
    check_entry,
    check_form_started,
    clean_phone,
    start_form,
)

KEY = b"k" * 64
NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
OFFERED = (
    ServiceChoice("library", "P", "Perpustakaan", "Library"),
    ServiceChoice("consultation", "K", "Konsultasi Statistik", "Statistical consultation"),
)
GOOD = GuestBookEntry(
    name="  Siti   Aminah ",
    sex="female",
    age_band="17_25",
    occupation="student",
    education="bachelor",
    institution="Universitas Lampung",
    phone="+62 812 3456 7890",
    email="Siti@Example.ID",
    purpose="Mencari data kemiskinan",
    services=("consultation", "library"),
)


def test_a_good_entry_is_tidied_and_its_services_come_in_the_offices_order() -> None:
    clean = check_entry(GOOD, OFFERED)
    assert clean.answers["name"] == "Siti Aminah"
    assert clean.answers["email"] == "siti@example.id"
    assert clean.answers["phone"] == "+62 812 3456 7890"
    assert clean.services == ("library", "consultation")


def test_email_and_phone_may_be_left_empty() -> None:
    clean = check_entry(replace(GOOD, email="  ", phone=""), OFFERED)
    assert (clean.answers["email"], clean.answers["phone"]) == ("", "")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "A name is required."),
        ("name", "x" * 201, "At most %(n)s characters, please."),
        ("sex", "", "Choose male or female."),
        ("sex", "other", "Choose male or female."),
        ("age_band", "18", "Choose your age group."),
        ("occupation", "astronaut", "Choose an occupation from the list."),
        ("education", "S1", "Choose your highest education."),
        ("institution", "", "Your institution is required."),
        ("phone", "0812-3456-7890", "Write the phone number with digits only, for example 0812 3456 7890."),
        ("phone", "call me", "Write the phone number with digits only, for example 0812 3456 7890."),
        ("phone", "12345", "Write the phone number with digits only, for example 0812 3456 7890."),
        (
            "phone",
            "0812 3456 7890 1234 5",
            "Write the phone number with digits only, for example 0812 3456 7890.",
        ),
        ("phone", "08+12", "Write the phone number with digits only, for example 0812 3456 7890."),
        ("email", "siti@", "'%(email)s' is not an email address."),
        ("email", "a@b.c" + "c" * 260, "'%(email)s' is not an email address."),
        ("purpose", "\x00\x07", "Tell us the purpose of your visit."),
        ("purpose", "p" * 501, "At most %(n)s characters, please."),
        ("services", (), "Choose at least one service."),
        ("services", ("", ""), "Choose at least one service."),
        ("services", ("library", "x" * 1000), "Choose the services from the list."),
    ],
)
def test_a_bad_answer_is_refused_on_its_own_field(field: str, value: object, message: str) -> None:
    with pytest.raises(EntryInvalid) as refused:
        check_entry(replace(GOOD, **{field: value}), OFFERED)
    [problem] = refused.value.problems
    assert (problem.field, problem.message) == (field, message)


def test_every_bad_answer_is_named_at_once() -> None:
    with pytest.raises(EntryInvalid) as refused:
        check_entry(GuestBookEntry(), OFFERED)
    assert refused.value.fields == {
        "name",
        "sex",
        "age_band",
        "occupation",
        "education",
        "institution",
        "purpose",
        "services",
    }
    assert all(isinstance(p, InvalidField) for p in refused.value.problems)


def test_a_phone_number_keeps_its_digits_and_tidies_its_spaces() -> None:
    assert clean_phone(" 0821  7000 1872 ") == "0821 7000 1872"


def test_a_form_sent_after_a_few_seconds_is_taken() -> None:
    token = start_form(KEY, NOW)
    check_form_started(KEY, token, NOW + FASTEST_BY_HAND)
    check_form_started(KEY, token, NOW + FORM_STARTED.max_age)


@pytest.mark.parametrize(
    ("token", "sent_after", "message"),
    [
        (start_form(KEY, NOW), dt.timedelta(seconds=2), "too quickly"),
        (start_form(KEY, NOW), dt.timedelta(0), "too quickly"),
        (start_form(KEY, NOW), FORM_STARTED.max_age + dt.timedelta(seconds=1), "open for too long"),
        (start_form(b"another key" * 4, NOW), dt.timedelta(seconds=30), "open for too long"),
        ("", dt.timedelta(seconds=30), "open for too long"),
        ("not.a.token", dt.timedelta(seconds=30), "open for too long"),
    ],
)
def test_a_form_too_fast_too_old_or_without_a_genuine_time_is_refused(
    token: str, sent_after: dt.timedelta, message: str
) -> None:
    with pytest.raises(FormRefused, match=message):
        check_form_started(KEY, token, NOW + sent_after)

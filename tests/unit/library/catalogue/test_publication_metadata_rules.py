"""A librarian's edit of a publication's fields: tidied, checked all at once, each error naming its field."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from library.catalogue.metadata_rules import (
    MetadataRefused,
    PublicationFields,
    changed_fields,
    clean_fields,
)

TODAY = dt.date(2026, 11, 27)
OFFICES = {"1872", "1805"}
STORED = PublicationFields(
    title="Kota Metro Dalam Angka 2024",
    language="id,en",
    office="1872",
    katalog_bps="1102001.1872",
    access_level="open",
)


def refused_fields(typed: PublicationFields, before: PublicationFields = STORED) -> dict[str, str]:
    """Return the fields the check refuses, each with its message."""
    with pytest.raises(MetadataRefused) as refused:
        clean_fields(typed, before, OFFICES, TODAY)
    return {error.field: error.message for error in refused.value.errors}


def test_every_field_at_fault_is_named_at_once() -> None:
    typed = replace(STORED, title=" ", issn="1234-5678", scheduled_release="28-02-2024", office="9999")
    assert set(refused_fields(typed)) == {"title", "issn", "scheduled_release", "office"}


def test_spaces_and_control_characters_are_tidied_but_the_abstract_keeps_its_lines() -> None:
    typed = replace(STORED, title="  Kota Metro\x00 Dalam   Angka 2024 ", abstract=" Satu.\r\nDua.  \n")
    clean = clean_fields(typed, STORED, OFFICES, TODAY)
    assert clean.title == "Kota Metro Dalam Angka 2024"
    assert clean.abstract == "Satu.\nDua."


def test_an_issn_typed_without_its_hyphen_is_stored_with_it() -> None:
    clean = clean_fields(replace(STORED, issn="0126 2912"), STORED, OFFICES, TODAY)
    assert clean.issn == "0126-2912"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("issn", "0126-2913"),  # wrong check digit
        ("isbn", "978-602-438-123-4"),
        ("katalog_bps", "110200"),
        ("nomor_publikasi", "18720-2401"),
        ("actual_release", "2024-02-30"),
        ("scheduled_release", "1850-01-01"),
        ("language", "Indonesia"),
        ("access_level", "secret"),
        ("title", "x" * 501),
    ],
)
def test_a_badly_written_field_is_refused_naming_it(field: str, value: str) -> None:
    assert list(refused_fields(replace(STORED, **{field: value}))) == [field]


def test_a_value_taken_in_earlier_does_not_block_saving_another_field() -> None:
    legacy = replace(STORED, katalog_bps="katalog lama 11", language="Bahasa Indonesia")
    clean = clean_fields(replace(legacy, subject="Kependudukan"), legacy, OFFICES, TODAY)
    assert (clean.katalog_bps, clean.subject) == ("katalog lama 11", "Kependudukan")


def test_language_codes_are_written_one_way() -> None:
    clean = clean_fields(replace(STORED, language="ID; en id"), STORED, OFFICES, TODAY)
    assert clean.language == "id,en"


def test_an_embargo_needs_its_date_and_a_date_needs_an_embargo() -> None:
    assert list(refused_fields(replace(STORED, access_level="embargoed"))) == ["embargo_until"]
    assert list(refused_fields(replace(STORED, embargo_until="2027-01-31"))) == ["embargo_until"]


def test_a_new_embargo_must_end_after_today() -> None:
    typed = replace(STORED, access_level="embargoed", embargo_until=TODAY.isoformat())
    assert list(refused_fields(typed)) == ["embargo_until"]
    clean = clean_fields(replace(typed, embargo_until="2027-01-31"), STORED, OFFICES, TODAY)
    assert (clean.access_level, clean.embargo_until) == ("embargoed", "2027-01-31")


def test_an_embargo_already_over_does_not_block_saving_another_field() -> None:
    ended = replace(STORED, access_level="embargoed", embargo_until="2025-01-01")
    clean = clean_fields(replace(ended, subject="Ekonomi"), ended, OFFICES, TODAY)
    assert clean.embargo_until == "2025-01-01"


def test_only_the_fields_that_differ_are_changes() -> None:
    after = replace(STORED, title="Kota Metro Dalam Angka 2025", access_level="restricted")
    assert changed_fields(STORED, after) == {
        "title": ("Kota Metro Dalam Angka 2024", "Kota Metro Dalam Angka 2025"),
        "access_level": ("open", "restricted"),
    }

"""What a printed holding may say: a shelf mark, a location, 1 to 999 copies, an optional note."""

from __future__ import annotations

import pytest

from library.catalogue.holdings import HoldingDetails, clean_holding
from library.errors import InvalidField

GOOD = HoldingDetails(call_number="310.598 MET k 2024", location="Ruang baca PST, rak 3", copies=2)


def with_(**changes: object) -> HoldingDetails:
    """Return the good details with some fields changed."""
    return HoldingDetails(**{**GOOD.__dict__, **changes})  # type: ignore[arg-type]


def test_good_details_are_kept_and_copies_read_in_the_reading_room_by_default() -> None:
    clean = clean_holding(GOOD)
    assert clean == HoldingDetails("310.598 MET k 2024", "Ruang baca PST, rak 3", 2, True, "")


def test_text_is_tidied_to_one_line_without_control_characters() -> None:
    clean = clean_holding(
        with_(
            call_number="  310.598\tMET  k ", location="Ruang baca\x00 PST,\nrak 3", note=" Edisi\r\nrevisi "
        )
    )
    assert (clean.call_number, clean.location, clean.note) == (
        "310.598 MET k",
        "Ruang baca PST, rak 3",
        "Edisi revisi",
    )


@pytest.mark.parametrize("copies", ["7", " 7 ", 7, "007"])
def test_copies_may_be_typed_or_counted(copies: object) -> None:
    assert clean_holding(with_(copies=copies)).copies == 7


def test_the_limits_themselves_are_accepted() -> None:
    clean = clean_holding(with_(call_number="x" * 100, location="y" * 200, note="z" * 500, copies=999))
    assert clean.copies == 999 and len(clean.note) == 500
    assert clean_holding(with_(copies="1")).copies == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"call_number": ""}, "call_number", "Write the shelf mark"),
        ({"call_number": " \t\x00 "}, "call_number", "Write the shelf mark"),
        ({"call_number": "x" * 101}, "call_number", "at most 100 characters"),
        ({"location": ""}, "location", "Say where the copies are"),
        ({"location": "y" * 201}, "location", "at most 200 characters"),
        ({"note": "z" * 501}, "note", "at most 500 characters"),
        ({"copies": 0}, "copies", "from 1 to 999"),
        ({"copies": "0"}, "copies", "from 1 to 999"),
        ({"copies": 1000}, "copies", "from 1 to 999"),
        ({"copies": -1}, "copies", "from 1 to 999"),
        ({"copies": "-1"}, "copies", "from 1 to 999"),
        ({"copies": ""}, "copies", "from 1 to 999"),
        ({"copies": "dua"}, "copies", "from 1 to 999"),
        ({"copies": "1.5"}, "copies", "from 1 to 999"),
        ({"copies": "1e3"}, "copies", "from 1 to 999"),
        ({"copies": "\u0663"}, "copies", "from 1 to 999"),  # an Arabic-Indic three
        ({"copies": "9" * 5000}, "copies", "from 1 to 999"),
        ({"copies": True}, "copies", "from 1 to 999"),
    ],
    ids=lambda v: repr(v)[:30] if isinstance(v, dict) else None,
)
def test_bad_details_are_refused_naming_the_field(
    changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(InvalidField, match=message) as caught:
        clean_holding(with_(**changes))
    assert caught.value.field == field

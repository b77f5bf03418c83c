"""What a registration may contain: addresses, names, passwords and occupation categories."""

from __future__ import annotations

import pytest

from library.accounts.occupations import OCCUPATIONS, is_occupation, occupation
from library.accounts.passwords import hash_password, needs_rehash
from library.accounts.users import (
    check_password_policy,
    clean_email,
    clean_name,
    clean_occupation,
    normalise_email,
)
from library.errors import InvalidField


def test_an_email_is_stored_trimmed_and_in_lower_case() -> None:
    assert clean_email("  Siti.Aminah@BPS.go.id ") == "siti.aminah@bps.go.id"
    assert normalise_email(" A@B.ID") == "a@b.id"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "An email address is required."),
        ("   ", "An email address is required."),
        ("siti", "is not an email address"),
        ("siti@bps", "is not an email address"),
        ("siti aminah@bps.go.id", "is not an email address"),
        ("a@b@c.id", "is not an email address"),
        ("x" * 250 + "@b.id", "is not an email address"),
    ],
)
def test_bad_email_addresses_are_refused_on_the_email_field(email: str, message: str) -> None:
    with pytest.raises(InvalidField, match=message) as caught:
        clean_email(email)
    assert caught.value.field == "email"


def test_a_name_has_its_spaces_tidied_and_a_length_limit() -> None:
    assert clean_name("  Siti \t Aminah ") == "Siti Aminah"
    with pytest.raises(InvalidField, match="A name is required"):
        clean_name(" ")
    with pytest.raises(InvalidField, match="At most 200 characters"):
        clean_name("A" * 201)


def test_a_name_loses_control_characters_and_line_breaks() -> None:
    assert clean_name("Siti\x00 Ami\x1bnah\r\nBPS") == "Siti Aminah BPS"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("pendek", "at least 10 characters"),
        ("x" * 201, "at most 200 characters"),
        ("Siti@Example.ID", "cannot be your email address"),
    ],
)
def test_weak_passwords_are_refused(password: str, message: str) -> None:
    with pytest.raises(InvalidField, match=message):
        check_password_policy(password, "siti@example.id")


def test_a_long_enough_password_is_accepted() -> None:
    assert check_password_policy("kopi tubruk pagi hari", "siti@example.id") == "kopi tubruk pagi hari"


def test_occupations_are_one_list_with_unique_codes_ending_in_other() -> None:
    codes = [o.code for o in OCCUPATIONS]
    assert len(codes) == len(set(codes)) == 7
    assert codes[-1] == "other"
    assert all(is_occupation(code) for code in codes)
    assert occupation("student") is OCCUPATIONS[0]
    assert occupation(None) is None and occupation("astronaut") is None


@pytest.mark.parametrize("code", ["", "astronaut", "Student"])
def test_an_occupation_outside_the_list_is_refused(code: str) -> None:
    with pytest.raises(InvalidField, match="Choose an occupation") as caught:
        clean_occupation(code)
    assert caught.value.field == "occupation"


def test_hashes_made_with_weaker_parameters_need_rehashing(monkeypatch: pytest.MonkeyPatch) -> None:
    import library.accounts.passwords as passwords

    monkeypatch.setattr(passwords, "_N", passwords._N // 2)  # noqa: SLF001 - weaker than this session's
    weak = hash_password("kopi-tubruk-2024")
    monkeypatch.undo()
    assert needs_rehash(weak)
    assert not needs_rehash(None)
    assert needs_rehash("md5$1$2$3$4$5")
    assert needs_rehash("garbage")

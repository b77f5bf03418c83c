"""Passwords are stored as salted scrypt hashes."""

from __future__ import annotations

import pytest

from library.accounts.passwords import check_password, hash_password, needs_rehash


def test_the_right_password_matches_and_a_wrong_one_does_not() -> None:
    stored = hash_password("kopi-tubruk-2024")
    assert check_password(stored, "kopi-tubruk-2024")
    assert not check_password(stored, "kopi-tubruk-2025")


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password("sama-saja-123") != hash_password("sama-saja-123")


def test_a_missing_or_malformed_hash_never_matches() -> None:
    assert not check_password(None, "x")
    assert not check_password("plain-text", "plain-text")
    assert not check_password("md5$1$2$3$4$5", "x")


@pytest.mark.usefixtures("real_password_cost")
def test_a_password_is_hashed_at_owasps_scrypt_floor_and_still_checks() -> None:
    stored = hash_password("kopi-tubruk-2024")  # the one full-cost hash of the suite: ~0.3 s, 128 MiB
    assert stored.startswith("scrypt$131072$8$1$")
    assert check_password(stored, "kopi-tubruk-2024")
    assert not needs_rehash(stored)

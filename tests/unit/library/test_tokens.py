"""Links in account emails are signed, expire, and work only for their own purpose."""

from __future__ import annotations

import datetime as dt

import pytest

from library.tokens import (
    RESET_PASSWORD,
    VERIFY_EMAIL,
    LinkExpired,
    LinkInvalid,
    fingerprint,
    make_token,
    read_token,
)

KEY = b"k" * 64
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def test_a_token_reads_back_its_payload() -> None:
    token = make_token(KEY, VERIFY_EMAIL, {"u": 7, "e": "a@example.id"}, NOW)
    assert read_token(KEY, VERIFY_EMAIL, token, NOW + dt.timedelta(minutes=5)) == {
        "u": 7,
        "e": "a@example.id",
    }


def test_a_token_is_safe_in_a_url_path() -> None:
    token = make_token(KEY, VERIFY_EMAIL, {"u": 7, "e": "a+b@example.id"}, NOW)
    assert all(c.isalnum() or c in "-_." for c in token)


@pytest.mark.parametrize(
    ("purpose", "still_good", "too_late"),
    [
        (VERIFY_EMAIL, dt.timedelta(hours=47, minutes=59), dt.timedelta(hours=48, seconds=1)),
        (RESET_PASSWORD, dt.timedelta(hours=1, minutes=59), dt.timedelta(hours=2, seconds=1)),
    ],
)
def test_a_token_expires_after_its_lifetime(purpose, still_good, too_late) -> None:
    token = make_token(KEY, purpose, {"u": 1}, NOW)
    assert read_token(KEY, purpose, token, NOW + still_good) == {"u": 1}
    with pytest.raises(LinkExpired, match="expired"):
        read_token(KEY, purpose, token, NOW + too_late)


def test_a_token_from_the_future_is_refused() -> None:
    token = make_token(KEY, RESET_PASSWORD, {"u": 1}, NOW + dt.timedelta(hours=1))
    with pytest.raises(LinkExpired):
        read_token(KEY, RESET_PASSWORD, token, NOW)


def test_a_verification_token_does_not_reset_a_password() -> None:
    token = make_token(KEY, VERIFY_EMAIL, {"u": 1}, NOW)
    with pytest.raises(LinkInvalid):
        read_token(KEY, RESET_PASSWORD, token, NOW)


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = make_token(b"other" * 10, VERIFY_EMAIL, {"u": 1}, NOW)
    with pytest.raises(LinkInvalid):
        read_token(KEY, VERIFY_EMAIL, token, NOW)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: "eyJ1Ijo5fQ" + t[t.index(".") :],  # payload swapped for {"u": 9}
        lambda t: t[: len(t) // 2],  # cut short by a mail client
        lambda t: "",
        lambda t: "not-a-token",
    ],
)
def test_a_tampered_or_truncated_token_is_refused(tamper) -> None:
    token = make_token(KEY, VERIFY_EMAIL, {"u": 1}, NOW)
    with pytest.raises(LinkInvalid, match="not valid"):
        read_token(KEY, VERIFY_EMAIL, tamper(token), NOW)


def test_a_payload_that_is_not_a_mapping_is_refused() -> None:
    token = make_token(KEY, VERIFY_EMAIL, [1, 2], NOW)  # type: ignore[arg-type]
    with pytest.raises(LinkInvalid):
        read_token(KEY, VERIFY_EMAIL, token, NOW)


def test_a_fingerprint_changes_when_any_part_changes() -> None:
    base = fingerprint(1, "scrypt$hash", 0)
    assert base == fingerprint(1, "scrypt$hash", 0)
    assert (
        len(
            {
                base,
                fingerprint(1, "scrypt$other", 0),
                fingerprint(1, "scrypt$hash", 1),
                fingerprint(2, "scrypt$hash", 0),
            }
        )
        == 4
    )

"""Resumption tokens carry where a list resumes, signed so they cannot be forged, and expire."""

from __future__ import annotations

import datetime as dt

import pytest
from itsdangerous import URLSafeTimedSerializer

from library.oai import requests as oai_requests
from library.oai import tokens as oai_tokens
from library.tokens import VERIFY_EMAIL, make_token

SECRET = b"s" * 32
NOW = dt.datetime(2024, 6, 1, 10, 0, tzinfo=dt.UTC)
SELECTION = oai_tokens.Selection("oai_dc", set_spec="office:1872", from_="2024-01-01", until=None)
AFTER = (dt.datetime(2024, 5, 2, 3, 4, 5, 678901, tzinfo=dt.UTC), 17)


def token(verb: str = "ListRecords", now: dt.datetime = NOW) -> str:
    """Sign a token for the test selection and cursor."""
    return oai_tokens.make_resumption_token(SECRET, verb, SELECTION, AFTER, 30, now)


def test_a_token_gives_back_its_selection_cursor_and_count() -> None:
    assert oai_tokens.read_resumption_token(SECRET, "ListRecords", token(), NOW) == (SELECTION, AFTER, 30)


def test_a_token_is_still_good_at_the_end_of_its_lifetime() -> None:
    later = NOW + oai_tokens.RESUMPTION.max_age
    assert oai_tokens.read_resumption_token(SECRET, "ListRecords", token(), later)[2] == 30


def test_a_token_past_its_lifetime_has_expired() -> None:
    later = NOW + oai_tokens.RESUMPTION.max_age + dt.timedelta(seconds=1)
    with pytest.raises(oai_requests.BadResumptionToken, match="expired"):
        oai_tokens.read_resumption_token(SECRET, "ListRecords", token(), later)


def test_tokens_live_a_day() -> None:
    assert oai_tokens.RESUMPTION.max_age == dt.timedelta(hours=24)


# Not the last character: its low bits are base64 padding, which decoders ignore.
@pytest.mark.parametrize("position", [0, 10, -5])
def test_an_altered_token_is_refused(position: int) -> None:
    original = token()
    chars = list(original)
    chars[position] = "A" if chars[position] != "A" else "B"
    with pytest.raises(oai_requests.BadResumptionToken, match="not valid"):
        oai_tokens.read_resumption_token(SECRET, "ListRecords", "".join(chars), NOW)


def test_a_token_signed_with_another_key_is_refused() -> None:
    with pytest.raises(oai_requests.BadResumptionToken):
        oai_tokens.read_resumption_token(b"t" * 32, "ListRecords", token(), NOW)


def test_a_token_of_another_verb_is_refused() -> None:
    with pytest.raises(oai_requests.BadResumptionToken, match="ListIdentifiers"):
        oai_tokens.read_resumption_token(SECRET, "ListRecords", token("ListIdentifiers"), NOW)


def test_a_genuine_token_made_for_another_purpose_is_refused() -> None:
    email_link = make_token(SECRET, VERIFY_EMAIL, {"v": "ListRecords"}, NOW)
    with pytest.raises(oai_requests.BadResumptionToken):
        oai_tokens.read_resumption_token(SECRET, "ListRecords", email_link, NOW)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "x" * 500])
def test_garbage_is_not_a_token(garbage: str) -> None:
    with pytest.raises(oai_requests.BadResumptionToken):
        oai_tokens.read_resumption_token(SECRET, "ListRecords", garbage, NOW)


def test_a_token_holds_only_the_request_and_the_last_record_sent() -> None:
    # Signed, not encrypted: a harvester can read it, so it carries nothing else.
    data = URLSafeTimedSerializer(SECRET, salt=oai_tokens.RESUMPTION.salt).loads(token())
    assert data == {
        "v": "ListRecords",
        "p": "oai_dc",
        "s": "office:1872",
        "f": "2024-01-01",
        "u": None,
        "a": ["2024-05-02T03:04:05.678901+00:00", 17],
        "n": 30,
    }

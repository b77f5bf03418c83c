"""Signed, expiring tokens for the links in account emails (verification, password reset)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from library.errors import PustakaError
from library.i18n import N_


class LinkInvalid(PustakaError):
    """A link was altered, belongs to another purpose, or was already used."""

    def __init__(self) -> None:
        super().__init__(
            N_("This link is not valid. It may have been copied incompletely or already used.")
        )


class LinkExpired(PustakaError):
    """A link was genuine but is too old."""

    def __init__(self) -> None:
        super().__init__(N_("This link has expired. Ask for a new one."))


@dataclass(frozen=True)
class Purpose:
    """What a token is for: its own salt (a token for one purpose never works for another) and lifetime."""

    salt: str
    max_age: dt.timedelta


VERIFY_EMAIL = Purpose("pustaka.verify-email", dt.timedelta(hours=48))
RESET_PASSWORD = Purpose("pustaka.reset-password", dt.timedelta(hours=2))


def _serializer(secret: bytes, purpose: Purpose, now: Callable[[], dt.datetime]) -> URLSafeTimedSerializer:
    """Return a serializer for the purpose whose clock is `now` (so tests can move time)."""

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(now().timestamp())

    return URLSafeTimedSerializer(secret, salt=purpose.salt, signer=ClockSigner)


def make_token(secret: bytes, purpose: Purpose, payload: dict[str, Any], now: dt.datetime) -> str:
    """Sign the payload for the purpose, stamped with the time `now`."""
    return str(_serializer(secret, purpose, lambda: now).dumps(payload))


def read_token(secret: bytes, purpose: Purpose, token: str, now: dt.datetime) -> dict[str, Any]:
    """Return the payload of a genuine, unexpired token for the purpose."""
    serializer = _serializer(secret, purpose, lambda: now)
    try:
        payload = serializer.loads(token, max_age=int(purpose.max_age.total_seconds()))
    except SignatureExpired:
        raise LinkExpired() from None
    except BadSignature:
        raise LinkInvalid() from None
    if not isinstance(payload, dict):
        raise LinkInvalid()
    return payload


def fingerprint(*parts: object) -> str:
    """Return a short digest of values a token must still match when it is used."""
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]

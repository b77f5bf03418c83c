"""Resumption tokens: where an OAI-PMH list resumes, signed with the app's key, expiring.

A token carries the request (verb, format, set, dates), the (updated_at, id) of the last record
sent and how many were sent. It is signed, not encrypted: a harvester can read it but not forge
or alter it, and it holds nothing a harvester did not send or receive. The server keeps no state
between pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from library.oai.requests import BadResumptionToken
from library.tokens import LinkExpired, LinkInvalid, Purpose, make_token, read_token

RESUMPTION = Purpose("pustaka.oai-resumption", dt.timedelta(hours=24))


@dataclass(frozen=True)
class Selection:
    """What a list asks for, kept in its resumption tokens."""

    metadata_prefix: str
    set_spec: str | None = None
    from_: str | None = None
    until: str | None = None


def make_resumption_token(
    secret: bytes,
    verb: str,
    selection: Selection,
    after: tuple[dt.datetime, int],
    delivered: int,
    now: dt.datetime,
) -> str:
    """Sign where a list resumes: its verb and selection, the last (updated_at, id) sent, the count so far."""
    payload: dict[str, Any] = {
        "v": verb,
        "p": selection.metadata_prefix,
        "s": selection.set_spec,
        "f": selection.from_,
        "u": selection.until,
        "a": [after[0].astimezone(dt.UTC).isoformat(), after[1]],
        "n": delivered,
    }
    return make_token(secret, RESUMPTION, payload, now)


def read_resumption_token(
    secret: bytes, verb: str, token: str, now: dt.datetime
) -> tuple[Selection, tuple[dt.datetime, int], int]:
    """Return the selection, cursor and count of a genuine, unexpired token of this verb."""
    try:
        payload = read_token(secret, RESUMPTION, token, now)
    except LinkExpired:
        raise BadResumptionToken("This resumption token has expired; start the list again.") from None
    except LinkInvalid:
        raise BadResumptionToken("This resumption token is not valid.") from None
    if payload.get("v") != verb:
        raise BadResumptionToken("This resumption token belongs to %(verb)s.", verb=str(payload.get("v")))
    try:
        stamp, last_id = payload["a"]
        after = (dt.datetime.fromisoformat(stamp), int(last_id))
        selection = Selection(payload["p"], payload["s"], payload["f"], payload["u"])
        delivered = int(payload["n"])
    except (KeyError, TypeError, ValueError):
        raise BadResumptionToken("This resumption token is not valid.") from None
    return selection, after, delivered

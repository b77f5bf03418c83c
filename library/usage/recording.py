"""Usage events recorded where they happen, cheaply: kept in memory, written in one insert a few seconds.

The batching writer the searches' tally uses too (`library.batch_writer`): a page adds its event
to a list and goes on; a thread of the process writes the list in one transaction every few
seconds. Recording never fails a page; what a killed process had not written is lost.

Who used a publication is kept only as a session key (`session_key`): a keyed digest of the
person's id, or of the client's address and browser, with the day, so no address is stored, no
one can be named from it and nobody can be followed from one day to the next.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable, Iterable

from sqlalchemy import insert

from library.batch_writer import BatchWriter
from library.models import UsageEvent
from library.models.usage import SESSION_MAX
from library.uow import UnitOfWork
from library.usage.counting import Event


def session_key(secret: bytes, day: dt.date, user_id: int | None, address: str, agent: str) -> str:
    """Return the session key of a person (by id) or of a client and browser, for one day."""
    who = f"user:{user_id}" if user_id is not None else f"client:{address}|{agent}"
    return hmac.new(secret, f"{day}|{who}".encode(), "sha256").hexdigest()[:SESSION_MAX]


def do_record_events(uow: UnitOfWork, events: Iterable[Event]) -> int:
    """Insert usage events in one statement; return how many."""
    rows = [
        {
            "at": e.at,
            "publication_id": e.publication_id,
            "kind": str(e.kind),
            "session": e.session,
            "page": e.page,
        }
        for e in events
    ]
    if rows:
        uow.session.execute(insert(UsageEvent), rows)
    return len(rows)


class UsageTally(BatchWriter[Event]):
    """Usage events waiting to be written, and the thread that writes them."""

    def __init__(self, uow: Callable[[], UnitOfWork], interval: float = 5.0, limit: int = 500) -> None:
        super().__init__(uow, do_record_events, name="usage-tally", interval=interval, limit=limit)

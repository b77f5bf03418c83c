"""The lease a running job holds its row with, so that a job whose worker dies is taken over.

A job whose worker may die holds its row with a `Lease`: one conditional update takes a row
that nobody holds or whose holder's lease has run out, so of two workers racing for a row
the database lets exactly one through. The holder renews its lease while it works; a renewal
that matches no row tells it another worker has taken over. Ingest jobs and copy jobs keep
their leases this way, each in its own columns. A lease with a `holder` column names the
process that took it (`library.lease_holders`), so a worker on the same machine frees at once
the rows whose holder has ended (`Lease.free_the_dead`) instead of waiting for the lease.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Update, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute

from library.db import changed_rows
from library.lease_holders import is_gone, this_process
from library.uow import UnitOfWork


@dataclass(frozen=True)
class Lease:
    """Where a table keeps a row's lease, and how long a lease lasts."""

    key: InstrumentedAttribute[int]  # the row's id
    renewed_at: InstrumentedAttribute[dt.datetime | None]  # when the holder last took or renewed it
    attempts: InstrumentedAttribute[int]  # how many times the row has been taken
    length: dt.timedelta
    holder: Any = None  # InstrumentedAttribute[str]: who took it, when the table says

    def expired(self, now: dt.datetime) -> ColumnElement[bool]:
        """Match the rows nobody holds, or whose lease ran out before now."""
        return or_(self.renewed_at.is_(None), self.renewed_at < now - self.length)

    def claim(
        self, uow: UnitOfWork, row_id: int, *, free: ColumnElement[bool], now: dt.datetime, **values: Any
    ) -> int | None:
        """Take the row if `free` matches it, counting one attempt; return the attempt number, or None."""
        if self.holder is not None:
            values = {self.holder.key: str(this_process()), **values}
        taken = _rows_updated(
            uow,
            update(self.key.class_)
            .where(self.key == row_id, free)
            .values({self.renewed_at.key: now, self.attempts.key: self.attempts + 1, **values}),
        )
        if taken != 1:
            return None
        return uow.session.scalar(select(self.attempts).where(self.key == row_id))

    def renew(
        self, uow: UnitOfWork, row_id: int, *, held: ColumnElement[bool], now: dt.datetime, **values: Any
    ) -> bool:
        """Extend the lease (and set the values) while `held` still matches the row; tell whether it did."""
        renewed = _rows_updated(
            uow,
            update(self.key.class_)
            .where(self.key == row_id, held)
            .values({self.renewed_at.key: now, **values}),
        )
        return renewed == 1

    def free_the_dead(self, uow: UnitOfWork, waiting: ColumnElement[bool]) -> list[int]:
        """Free the held rows matching `waiting` whose holder's process, on this machine, has ended.

        Each row is freed by one worker only (the update names the dead holder); the caller
        queues their work again and commits. Holders elsewhere are left to their lease.
        """
        if self.holder is None:
            return []
        me = this_process()
        held = uow.session.execute(
            select(self.key, self.holder).where(
                waiting, self.renewed_at.is_not(None), self.holder.startswith(f"{me.host}:", autoescape=True)
            )
        ).all()
        freed = []
        for row_id, holder in held:
            if is_gone(holder) and _rows_updated(
                uow,
                update(self.key.class_)
                .where(self.key == row_id, self.holder == holder)
                .values({self.renewed_at.key: None, self.holder.key: ""}),
            ):
                freed.append(row_id)
        return freed


def _rows_updated(uow: UnitOfWork, statement: Update) -> int:
    """Run an update without touching loaded objects; return how many rows it changed."""
    return changed_rows(uow.session.execute(statement.execution_options(synchronize_session=False)))

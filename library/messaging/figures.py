"""How the messages to visitors' phones and browsers went lately: for /metrics, the live page, check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from library.models import MessageStatus, PhoneMessage, PushMessage
from library.uow import UnitOfWork

WINDOW = dt.timedelta(hours=24)


@dataclass(frozen=True)
class PhoneFigures:
    """Messages written in the last 24 hours, by what became of them."""

    sent: int = 0
    failed: int = 0
    held: int = 0  # past PUSTAKA_PHONE_MAX_PER_HOUR for their number
    queued: int = 0  # not sent yet (or being tried again)


def phone_figures(uow: UnitOfWork, now: dt.datetime) -> PhoneFigures:
    """Count the last 24 hours' phone messages by status."""
    return _figures(uow, now, PhoneMessage)


def push_figures(uow: UnitOfWork, now: dt.datetime) -> PhoneFigures:
    """Count the last 24 hours' Web Push messages by status (none is ever held)."""
    return _figures(uow, now, PushMessage)


def _figures(
    uow: UnitOfWork, now: dt.datetime, table: type[PhoneMessage] | type[PushMessage]
) -> PhoneFigures:
    """Count the last 24 hours' rows of an outbox by status."""
    counts = dict(
        uow.session.execute(
            select(table.status, func.count(table.id))
            .where(table.created_at > now - WINDOW)
            .group_by(table.status)
        ).all()
    )
    return PhoneFigures(**{status.value: int(counts.get(status.value, 0)) for status in MessageStatus})

"""How the messages to visitors' phones went lately: for /metrics, the live page and `pustaka check`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from library.models import MessageStatus, PhoneMessage
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
    counts = dict(
        uow.session.execute(
            select(PhoneMessage.status, func.count(PhoneMessage.id))
            .where(PhoneMessage.created_at > now - WINDOW)
            .group_by(PhoneMessage.status)
        ).all()
    )
    return PhoneFigures(**{status.value: int(counts.get(status.value, 0)) for status in MessageStatus})

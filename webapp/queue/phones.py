"""Telling the queue's visitors on their phones and browsers once a call commits (`library.messaging`)."""

from __future__ import annotations

from library.uow import UnitOfWork
from runtime.root import Runtime


def tell_phones(uow: UnitOfWork, rt: Runtime, ticket_id: int) -> None:
    """Once the call commits, queue telling the queue's visitors on their phones (where the office does)."""
    if rt.settings.phone_channel or rt.settings.web_push:
        uow.after_commit(lambda: rt.jobs.phone_news(ticket_id))

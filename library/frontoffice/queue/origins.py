"""Where a transferred visitor's ticket came from: the ticket that was sent on, and its counter.

A transfer closes one ticket (`transferred`, `transferred_to` the new one) and issues another at
the end of the other queue; the new ticket's history starts at the old one, not at the guest book.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from library.models import Ticket
from library.uow import UnitOfWork


@dataclass(frozen=True)
class Origin:
    """The ticket a visitor was transferred from and the counter that sent them ("" if none named)."""

    code: str
    service_name: str
    service_name_en: str
    counter: str


def origin_of(uow: UnitOfWork, ticket: Ticket) -> Origin | None:
    """Return the ticket this one was transferred from, or None when it was taken at the guest book."""
    earlier = uow.session.scalar(select(Ticket).where(Ticket.transferred_to_id == ticket.id))
    if earlier is None:
        return None
    service = earlier.service
    return Origin(earlier.code, service.name, service.name_en, earlier.counter)

"""The queue staff work and the ticket in their hands: found, on its day, or refused saying why.

A queue is one office's active service (`find_service`), worked only on the office's local day
(`queue_day`) and timed by the walk-in clock rule of its office's published standard
(`service_rule`). A console works one queue (`QueueRef`); `ticket_at_work` loads a ticket of
today's queue for the staff member who may work it, as `permissions` holds them now, and
refuses a ticket of another queue or day with a `QueueError`. The actions on a ticket are
`library.frontoffice.queue.actions`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from library.clock import office_today
from library.errors import NotFound, PustakaError
from library.frontoffice.queue.clocks import ClockRule, rule_of
from library.i18n import N_
from library.models import Office, QueueService, Ticket, User
from library.permissions import Actor, require_work_queue
from library.uow import UnitOfWork

MAX_ID = 2**31 - 1  # ids beyond a 32-bit integer name no ticket (and would overflow the query)

NO_SUCH_QUEUE = N_("This office has no such queue.")
NO_SUCH_TICKET = N_("There is no such ticket.")
OTHER_QUEUE = N_("Ticket %(code)s is in another queue: open that queue's console to work it.")
OTHER_DAY = N_("Ticket %(code)s is from %(day)s: only today's queue can be worked.")


class QueueError(PustakaError):
    """A queue action the ticket or the queue does not allow as it stands now."""


@dataclass(frozen=True)
class QueueRef:
    """One office's queue of one service, where a console works: tickets elsewhere are refused."""

    office_code: str
    service_code: str


def find_service(uow: UnitOfWork, office_code: str, service_code: str) -> QueueService:
    """Return an office's active queue for a service, or raise NotFound."""
    service = uow.session.scalar(
        select(QueueService)
        .join(Office)
        .where(Office.code == office_code, QueueService.code == service_code, QueueService.active)
    )
    if service is None:
        raise NotFound(NO_SUCH_QUEUE)
    return service


def service_rule(service: QueueService) -> ClockRule | None:
    """Return the walk-in clock rule of a queue, from its office's published standard."""
    standard = service.standard
    return None if standard is None else rule_of(standard.walk_in_minutes, standard.walk_in_clock)


def queue_day(service: QueueService, now: dt.datetime) -> dt.date:
    """Return the office-local date of `now`: the day whose queue is worked."""
    return office_today(service.office.timezone, now)


def ticket_at_work(
    uow: UnitOfWork, actor: Actor | None, ticket_id: int, now: dt.datetime, at: QueueRef | None
) -> tuple[Ticket, User]:
    """Load a ticket of today's queue and the staff member who may work it, or refuse saying why."""
    if not isinstance(ticket_id, int) or not 0 < ticket_id <= MAX_ID:
        raise NotFound(NO_SUCH_TICKET)
    ticket = uow.session.get(Ticket, ticket_id, populate_existing=True)
    if ticket is None:
        raise NotFound(NO_SUCH_TICKET)
    staff = require_work_queue(uow, actor, ticket.service.code)
    if at is not None and (ticket.service.office.code, ticket.service.code) != (
        at.office_code,
        at.service_code,
    ):
        raise QueueError(OTHER_QUEUE, code=ticket.code)
    if ticket.day != queue_day(ticket.service, now):
        raise QueueError(OTHER_DAY, code=ticket.code, day=ticket.day.isoformat())
    return ticket, staff

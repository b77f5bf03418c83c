"""A visit's tickets when the visit ends ("Pulang"): what still waits is a no-show, what is served is done.

The locker desk closes the visit (`lockers.stock.check_depart`), the day's close closes those
left open; the tickets themselves change here, with the queue's other actions.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from library.models import Ticket, TicketStatus
from library.uow import UnitOfWork

ENDS_AS_NO_SHOW = (TicketStatus.WAITING.value, TicketStatus.CALLED.value)


def end_visit_tickets(
    uow: UnitOfWork, visit_id: int, now: dt.datetime
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """End the visit's open tickets now; return the no-show codes and the finished codes, in the order given.

    Tickets waiting or called become no-shows, those being served are done: each a conditional
    UPDATE, so a counter acting on the same ticket at the same moment is never overwritten.
    """
    ended = uow.session.execute(
        update(Ticket)
        .where(Ticket.visit_id == visit_id, Ticket.status.in_(ENDS_AS_NO_SHOW))
        .values(status=TicketStatus.NO_SHOW.value, finished_at=now)
        .returning(Ticket.id, Ticket.code)
    ).all()
    finished = uow.session.execute(
        update(Ticket)
        .where(Ticket.visit_id == visit_id, Ticket.status == TicketStatus.SERVING.value)
        .values(status=TicketStatus.DONE.value, finished_at=now)
        .returning(Ticket.id, Ticket.code)
    ).all()
    return tuple(code for _, code in sorted(ended)), tuple(code for _, code in sorted(finished))

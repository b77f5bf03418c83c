"""The counters of a queue: opened by the staff member who works there, closed when they stop.

A counter is open from the moment a staff member names it on a console (or calls a visitor to
it) until they close it, or the close of day closes it (`frontoffice.day_close`). The wait a
visitor is told shares the people ahead among the counters open now and, for the library, the
active terminals: a library visitor starts service at a free terminal without being called.
A shift opened on an earlier day and never closed does not count as open today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from library.clock import office_zone
from library.db import changed_rows
from library.errors import PustakaError
from library.i18n import N_
from library.models import CounterShift, QueueService, Terminal, Ticket, TicketStatus
from library.uow import UnitOfWork

TERMINAL_SERVICE = "library"  # the queue whose tickets start a session at a library terminal
STILL_WORKING = N_(
    "%(counter)s still has %(code)s called or being served: finish, transfer or mark that ticket first, "
    "then close the counter."
)


class CounterBusy(PustakaError):
    """The counter still has a visitor called or being served: it cannot close yet."""


@dataclass(frozen=True)
class Servers:
    """Who serves a queue now: its open counters and, for the library, its active terminals."""

    counters: int
    terminals: int = 0


def day_start(service: QueueService, now: dt.datetime) -> dt.datetime:
    """Return the start of the office's local day at `now`."""
    zone = office_zone(service.office.timezone)
    return dt.datetime.combine(now.astimezone(zone).date(), dt.time(), zone)


def open_counter(
    uow: UnitOfWork, service: QueueService, counter: str, staff_id: int | None, now: dt.datetime
) -> bool:
    """Open the counter for the queue unless it is open today already; tell whether it was opened now.

    A shift left open from an earlier day is closed first, at the moment it was last used. Two
    consoles opening the same counter at once make one shift (the unique index decides).
    """
    stale = _open_shift(uow, service.id, counter)
    if stale is not None and stale.opened_at >= day_start(service, now):
        return False
    if stale is not None:
        _close(uow, stale, None, stale.opened_at, "")  # nobody closed it: it ends where it began
    try:
        with uow.session.begin_nested():
            uow.session.add(
                CounterShift(service_id=service.id, counter=counter, opened_at=now, opened_by_id=staff_id)
            )
    except IntegrityError:
        return False  # another console opened it at the same moment
    return True


def close_counter(
    uow: UnitOfWork, service: QueueService, counter: str, staff_id: int | None, now: dt.datetime
) -> bool:
    """Close the counter; refuse while it has a ticket called or being served. Tell if it was open."""
    _refuse_busy(uow, service.id, counter)
    shift = _open_shift(uow, service.id, counter)
    return shift is not None and _close(uow, shift, staff_id, now, "")


def close_shift(
    uow: UnitOfWork, shift: CounterShift, staff_id: int | None, now: dt.datetime, reason: str
) -> bool:
    """Close one open shift with a reason (a supervisor's); refuse while its counter works; tell if closed."""
    _refuse_busy(uow, shift.service_id, shift.counter)
    return _close(uow, shift, staff_id, now, reason)


def _refuse_busy(uow: UnitOfWork, service_id: int, counter: str) -> None:
    """Refuse to close a counter that still has a visitor called or being served."""
    working = uow.session.scalar(
        select(Ticket.code)
        .where(
            Ticket.service_id == service_id,
            Ticket.counter == counter,
            Ticket.status.in_((TicketStatus.CALLED.value, TicketStatus.SERVING.value)),
        )
        .limit(1)
    )
    if working is not None:
        raise CounterBusy(STILL_WORKING, counter=counter, code=working)


def close_every_counter(
    uow: UnitOfWork, office_id: int, staff_id: int | None, now: dt.datetime, reason: str
) -> list[str]:
    """Close every counter of the office's queues still open (the close of day); return their names."""
    return [
        shift_name(shift)
        for shift in office_shifts(uow, office_id)
        if _close(uow, shift, staff_id, now, reason)
    ]


def office_shifts(uow: UnitOfWork, office_id: int) -> list[CounterShift]:
    """Return every shift still open at the office's queues (of any day), by queue and counter."""
    return list(
        uow.session.scalars(
            select(CounterShift)
            .join(QueueService, QueueService.id == CounterShift.service_id)
            .where(QueueService.office_id == office_id, CounterShift.closed_at.is_(None))
            .order_by(QueueService.position, CounterShift.counter, CounterShift.id)
        )
    )


def shift_name(shift: CounterShift) -> str:
    """Return how a shift's counter is named across queues: "Layanan Perpustakaan: Loket 1"."""
    return f"{shift.service.name}: {shift.counter}"


def open_counters(uow: UnitOfWork, service: QueueService, now: dt.datetime) -> list[str]:
    """Return the names of the queue's counters open today, in order."""
    return list(
        uow.session.scalars(
            select(CounterShift.counter)
            .where(
                CounterShift.service_id == service.id,
                CounterShift.closed_at.is_(None),
                CounterShift.opened_at >= day_start(service, now),
            )
            .order_by(CounterShift.counter)
        )
    )


def terminals_serving(uow: UnitOfWork, service: QueueService) -> int:
    """Return how many active terminals serve the queue (the library's: the office's terminals)."""
    if service.code != TERMINAL_SERVICE:
        return 0
    return (
        uow.session.scalar(
            select(func.count(Terminal.id)).where(Terminal.office_id == service.office_id, Terminal.active)
        )
        or 0
    )


def servers_of(uow: UnitOfWork, service: QueueService, now: dt.datetime) -> Servers:
    """Return who serves the queue now: its open counters, and the office's active terminals (library)."""
    return Servers(len(open_counters(uow, service, now)), terminals_serving(uow, service))


def _open_shift(uow: UnitOfWork, service_id: int, counter: str) -> CounterShift | None:
    return uow.session.scalar(
        select(CounterShift).where(
            CounterShift.service_id == service_id,
            CounterShift.counter == counter,
            CounterShift.closed_at.is_(None),
        )
    )


def _close(uow: UnitOfWork, shift: CounterShift, staff_id: int | None, now: dt.datetime, reason: str) -> bool:
    """Close one shift unless another hand closed it first (a conditional UPDATE); tell if this did."""
    closed = uow.session.execute(
        update(CounterShift)
        .where(CounterShift.id == shift.id, CounterShift.closed_at.is_(None))
        .values(closed_at=max(now, shift.opened_at), closed_by_id=staff_id, closed_reason=reason),
        execution_options={"synchronize_session": False},
    )
    uow.session.expire(shift)
    return changed_rows(closed) == 1

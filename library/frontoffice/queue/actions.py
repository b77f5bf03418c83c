"""The queue at the counters: call the next visitor, call again, serve, finish, skip, transfer.

Each action takes the acting staff member and `now`, asks `permissions` whether they may work
the ticket's queue (front office, and the service's own staff), and moves the ticket with one
conditional UPDATE (`WHERE status IN` the states it may leave): two staff pressing at once never
both win, and the one who loses is told what happened. Only today's queue (the office's local
day) can be worked: the ticket is taken in hand by `at_work`. Nothing here commits: the caller does.

Starting a service fixes its clock for the reports: when the clock started (by the service's
rule, over the day's queue) and its target; a start past the target needs a reason.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from library.db import changed_rows
from library.errors import InvalidField, NotFound
from library.frontoffice.queue.at_work import (
    QueueError,
    QueueRef,
    find_service,
    queue_day,
    service_rule,
    ticket_at_work,
)
from library.frontoffice.queue.clocks import ClockRule, QueuePlace, clock_starts, is_breach, target_of
from library.frontoffice.queue.counters import close_counter, open_counter
from library.frontoffice.queue.next_up import waiting_order
from library.frontoffice.queue.numbering import issue_ticket
from library.frontoffice.queue.priority import PriorityPolicy
from library.i18n import N_
from library.models import QueueService, Ticket, TicketStatus
from library.permissions import Actor, require_work_queue
from library.quality.walk_in import SurveyMailQueue, invite_after_service
from library.uow import UnitOfWork

MAX_COUNTER = 40  # Ticket.counter
MAX_REASON = 500
DEFAULT_POLICY = PriorityPolicy()

NOBODY_WAITING = N_("Nobody is waiting.")
CANNOT_RECALL = N_("Ticket %(code)s is not waiting at a counter, so it cannot be called again.")
CANNOT_START = N_("Ticket %(code)s can no longer be served: it is not waiting or called.")
CANNOT_FINISH = N_("Ticket %(code)s is not being served, so it cannot be finished.")
CANNOT_SKIP = N_("Only a called ticket can be marked as a no-show; ticket %(code)s is not called.")
CANNOT_TRANSFER = N_("Ticket %(code)s is closed already, so it cannot be transferred.")
SAME_SERVICE = N_("Ticket %(code)s is in that queue already.")
COUNTER_BUSY = N_(
    "%(counter)s is still calling %(code)s: start the service, call again, or mark the visitor as not come "
    "before calling the next one."
)
CALL_AGAIN_FIRST = N_(
    "Call %(code)s again before marking the visitor as not come: they may not have heard the first call."
)
NO_SHOW_AFTER_CALLS = 2  # "Tidak hadir" is allowed once the visitor was called this many times
NO_SUCH_TARGET = N_("This office has no such service to transfer the visitor to.")

CALLABLE = (TicketStatus.CALLED,)
STARTABLE = (TicketStatus.WAITING, TicketStatus.CALLED)
SERVING = (TicketStatus.SERVING,)
OPEN = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


class NobodyWaiting(QueueError):
    """ "Call next" found nobody waiting."""


class BreachReasonNeeded(QueueError):
    """The service starts past its target: staff must say why before it can start."""

    def __init__(self, ticket: Ticket, minutes: int, target_at: dt.datetime) -> None:
        super().__init__(
            N_(
                "Ticket %(code)s is served past its target of %(minutes)s minutes. "
                "Write the reason for the delay, then start the service."
            ),
            code=ticket.code,
            minutes=minutes,
        )
        self.ticket_id = ticket.id
        self.target_at = target_at


def call_next(
    uow: UnitOfWork,
    actor: Actor | None,
    office_code: str,
    service_code: str,
    counter: str,
    now: dt.datetime,
    policy: PriorityPolicy = DEFAULT_POLICY,
) -> Ticket:
    """Call the next waiting ticket of today's queue to the counter, by the priority rule (`priority`)."""
    service = find_service(uow, office_code, service_code)
    staff = require_work_queue(uow, actor, service.code)
    counter = counter_name(counter)
    day = queue_day(service, now)
    calling = uow.session.scalar(
        select(Ticket.code)
        .join(QueueService, QueueService.id == Ticket.service_id)
        .where(
            QueueService.office_id == service.office_id,
            Ticket.day == day,
            Ticket.counter == counter,
            Ticket.status == TicketStatus.CALLED.value,
        )
        .limit(1)
    )
    if calling is not None:  # one call at a time per counter: two visitors never walk to one desk
        raise QueueError(COUNTER_BUSY, counter=counter, code=calling)
    while True:
        waiting = waiting_order(uow, service.id, day, counter, service_rule(service), policy, now)
        if not waiting:
            raise NobodyWaiting(NOBODY_WAITING)
        for ticket_id in waiting:
            called = uow.session.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id, Ticket.status == TicketStatus.WAITING.value)
                .values(
                    status=TicketStatus.CALLED.value, called_at=now, counter=counter, calls=Ticket.calls + 1
                ),
                execution_options={"synchronize_session": False},
            )
            if changed_rows(called) == 1:  # 0: another counter called it first; try the next one
                open_counter(uow, service, counter, staff.id, now)  # a call is work there: it is open
                return _fresh(uow, ticket_id)


def recall(
    uow: UnitOfWork, actor: Actor | None, ticket_id: int, now: dt.datetime, *, at: QueueRef | None = None
) -> Ticket:
    """Call a called ticket again: the board shows it once more, with the chime."""
    ticket, _staff = ticket_at_work(uow, actor, ticket_id, now, at)
    return _move(
        uow,
        ticket,
        CALLABLE,
        CANNOT_RECALL,
        status=TicketStatus.CALLED.value,
        called_at=now,
        calls=Ticket.calls + 1,
    )


def start_service(
    uow: UnitOfWork,
    actor: Actor | None,
    ticket_id: int,
    now: dt.datetime,
    breach_reason: str = "",
    *,
    at: QueueRef | None = None,
) -> Ticket:
    """Start serving a called (or still waiting) visitor; a start past the target needs a reason."""
    ticket, staff = ticket_at_work(uow, actor, ticket_id, now, at)
    if ticket.status not in STARTABLE:
        raise QueueError(CANNOT_START, code=ticket.code)
    rule = service_rule(ticket.service)
    started, target = _clock(uow, ticket, rule, now)
    reason = tidy_reason(breach_reason, "breach_reason")
    if is_breach(target, now):
        if not reason:
            assert rule is not None and target is not None  # a breach has a target
            raise BreachReasonNeeded(ticket, rule.minutes, target)
    else:
        reason = ""
    return _move(
        uow,
        ticket,
        STARTABLE,
        CANNOT_START,
        status=TicketStatus.SERVING.value,
        served_at=now,
        served_by_id=staff.id,
        clock_started_at=started,
        target_at=target,
        breach_reason=reason,
    )


def finish_service(
    uow: UnitOfWork,
    actor: Actor | None,
    ticket_id: int,
    now: dt.datetime,
    *,
    at: QueueRef | None = None,
    mail: SurveyMailQueue | None = None,
) -> Ticket:
    """Close a visitor's service as done, and invite them to rate it (the SKM survey; by `mail` too)."""
    ticket, _staff = ticket_at_work(uow, actor, ticket_id, now, at)
    done = _move(uow, ticket, SERVING, CANNOT_FINISH, status=TicketStatus.DONE.value, finished_at=now)
    invite_after_service(uow, done, now, mail)
    return done


def skip_no_show(
    uow: UnitOfWork, actor: Actor | None, ticket_id: int, now: dt.datetime, *, at: QueueRef | None = None
) -> Ticket:
    """Close a called ticket whose visitor did not come to the counter, once called again at least."""
    ticket, _staff = ticket_at_work(uow, actor, ticket_id, now, at)
    if ticket.status == TicketStatus.CALLED.value and ticket.calls < NO_SHOW_AFTER_CALLS:
        raise QueueError(CALL_AGAIN_FIRST, code=ticket.code)
    return _move(uow, ticket, CALLABLE, CANNOT_SKIP, status=TicketStatus.NO_SHOW.value, finished_at=now)


def transfer(
    uow: UnitOfWork,
    actor: Actor | None,
    ticket_id: int,
    to_service_code: str,
    now: dt.datetime,
    *,
    at: QueueRef | None = None,
    counter: str = "",
) -> Ticket:
    """Send a visitor to the end of another service's queue; return the new ticket there.

    `counter` is where the staff member who sends them works: a ticket never called keeps it, so
    the new ticket's history names the counter that sent the visitor.
    """
    ticket, _staff = ticket_at_work(uow, actor, ticket_id, now, at)
    if ticket.service.code == to_service_code:
        raise QueueError(SAME_SERVICE, code=ticket.code)
    try:
        target = find_service(uow, ticket.service.office.code, to_service_code)
    except NotFound:
        raise InvalidField("to_service", NO_SUCH_TARGET) from None
    sender = ticket.counter or " ".join((counter or "").split())[:MAX_COUNTER]
    _move(
        uow,
        ticket,
        OPEN,
        CANNOT_TRANSFER,
        status=TicketStatus.TRANSFERRED.value,
        finished_at=now,
        counter=sender,
    )
    moved = issue_ticket(uow, ticket.visit, target, now, ticket.priority)  # a priority visitor stays one
    uow.session.flush()
    ticket.transferred_to_id = moved.id
    uow.session.flush()
    return moved


def check_open_counter(
    uow: UnitOfWork, actor: Actor | None, office_code: str, service_code: str, counter: str, now: dt.datetime
) -> str:
    """Open a counter of the queue for the staff member who works there; return its tidied name."""
    service = find_service(uow, office_code, service_code)
    staff = require_work_queue(uow, actor, service.code)
    name = counter_name(counter)
    open_counter(uow, service, name, staff.id, now)
    return name


def check_close_counter(
    uow: UnitOfWork, actor: Actor | None, office_code: str, service_code: str, counter: str, now: dt.datetime
) -> bool:
    """Close a counter of the queue (refused while a visitor is called or served there); tell if open."""
    service = find_service(uow, office_code, service_code)
    staff = require_work_queue(uow, actor, service.code)
    return close_counter(uow, service, counter_name(counter), staff.id, now)


def tidy_reason(value: str | None, field: str) -> str:
    """Return a reason staff wrote with its spaces tidied; refuse one longer than MAX_REASON."""
    reason = " ".join((value or "").split())
    if len(reason) > MAX_REASON:
        raise InvalidField(field, N_("Write the reason in at most %(max)s characters."), max=MAX_REASON)
    return reason


def counter_name(counter: str) -> str:
    """Return a counter's name tidied, or refuse an empty or overlong one."""
    name = " ".join((counter or "").split())
    if not name:
        raise InvalidField("counter", N_("Choose the counter you work at first."))
    if len(name) > MAX_COUNTER:
        raise InvalidField("counter", N_("Name the counter in at most %(max)s characters."), max=MAX_COUNTER)
    return name


def _fresh(uow: UnitOfWork, ticket_id: int) -> Ticket:
    """Return a ticket as the database holds it now."""
    ticket = uow.session.get(Ticket, ticket_id, populate_existing=True)
    assert ticket is not None  # just updated in this transaction
    return ticket


def _move(
    uow: UnitOfWork, ticket: Ticket, allowed: tuple[TicketStatus, ...], refusal: str, **values: object
) -> Ticket:
    """Change a ticket only if it still stands in one of the allowed states; refuse if it does not."""
    if ticket.status not in allowed:
        raise QueueError(refusal, code=ticket.code)
    moved = uow.session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.status.in_([status.value for status in allowed]))
        .values(**values),
        execution_options={"synchronize_session": False},
    )
    if changed_rows(moved) != 1:  # someone else moved it since it was read
        raise QueueError(refusal, code=ticket.code)
    return _fresh(uow, ticket.id)


def _clock(
    uow: UnitOfWork, ticket: Ticket, rule: ClockRule | None, now: dt.datetime
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Return when the ticket's clock started and its target, were its service to start now."""
    if rule is None:
        return None, None
    day = uow.session.scalars(
        select(Ticket)
        .where(Ticket.service_id == ticket.service_id, Ticket.day == ticket.day)
        .order_by(Ticket.number)
    ).all()
    places = [
        QueuePlace(row.issued_at, now if row.id == ticket.id else row.served_at, row.finished_at)
        for row in day
    ]
    started = clock_starts(rule, places)[[row.id for row in day].index(ticket.id)]
    return started, target_of(rule, started)

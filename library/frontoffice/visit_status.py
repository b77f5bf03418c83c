"""A visitor's own view of their visit, opened by the secret in their ticket's QR code.

For each ticket: its code and service, where it stands, how many wait ahead of it, an estimate
of the wait from the counters open now and the day's service times (`waits`), the counter it
was called to, and the service's target in words. The same values fill the printed tickets (`ticket_prints`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select

from library.errors import NotFound
from library.frontoffice.queue.clocks import ClockRule, rule_of
from library.frontoffice.queue.counters import servers_of
from library.frontoffice.queue.origins import Origin, origin_of
from library.frontoffice.queue.waits import (
    RECENT_DAYS,
    ServicePace,
    WaitEstimate,
    estimate_wait,
    service_pace,
)
from library.frontoffice.receipt import TicketPrint
from library.frontoffice.terminal.ticket_entry import terminal_code
from library.frontoffice.ticket_text import first_name
from library.i18n import N_
from library.models import OPEN_TICKET_STATUSES, Ticket, TicketStatus, Visit
from library.models.office import WalkInClock
from library.quality.survey import invitation_for, ticket_event
from library.uow import UnitOfWork

MAX_TOKEN_LENGTH = 64  # the column's width: a longer "token" is not looked up at all

TICKET_STATUSES: Mapping[TicketStatus, str] = {
    TicketStatus.WAITING: N_("Waiting"),
    TicketStatus.CALLED: N_("Called: please go to the counter"),
    TicketStatus.SERVING: N_("Being served"),
    TicketStatus.DONE: N_("Finished"),
    TicketStatus.NO_SHOW: N_("Missed: you were called and not there"),
    TicketStatus.TRANSFERRED: N_("Moved to another service"),
}

# What a target means, on screen (translated when shown) and on paper (both languages at once).
_TARGET_TEXTS: Mapping[WalkInClock, str] = {
    WalkInClock.GUEST_BOOK: N_("You will be served within %(minutes)s minutes of filling in the guest book."),
    WalkInClock.PREVIOUS_FINISHED: N_(
        "You will be served within %(minutes)s minutes of the previous visitor's service ending."
    ),
}
_PRINTED_TARGETS: Mapping[WalkInClock, tuple[str, str]] = {
    WalkInClock.GUEST_BOOK: (
        "Anda akan dilayani paling lama {m} menit setelah mengisi buku tamu",
        "You will be served within {m} minutes of filling in the guest book",
    ),
    WalkInClock.PREVIOUS_FINISHED: (
        "Anda akan dilayani paling lama {m} menit setelah pengunjung sebelumnya selesai dilayani",
        "You will be served within {m} minutes of the previous visitor's service ending",
    ),
}


@dataclass(frozen=True)
class Target:
    """A service's walk-in promise: the message to translate and its values."""

    message: str
    minutes: int

    @property
    def params(self) -> dict[str, int]:
        """Return the values the message is filled in with."""
        return {"minutes": self.minutes}


@dataclass(frozen=True)
class TicketState:
    """Where one of the visitor's tickets stands."""

    code: str
    service_code: str
    service_name: str
    service_name_en: str
    status: TicketStatus
    status_label: str  # to translate when shown
    issued_at: dt.datetime
    people_ahead: int | None  # waiting tickets before it in its queue; None once called
    wait: WaitEstimate | None  # the estimate and its basis; None when not waiting
    counter: str  # where it was called to ("" until called)
    target: Target | None
    survey: str | None = None  # the secret of the link rating this service, while it is open
    came_from: Origin | None = None  # the ticket it was transferred from; None: taken at the guest book
    priority: bool = False  # a priority ticket (the group is not shown: the page may be seen by others)

    @property
    def wait_minutes(self) -> int | None:
        """Return the estimated wait in minutes, or None when not waiting."""
        return None if self.wait is None else self.wait.minutes

    @property
    def waiting(self) -> bool:
        """Tell whether the ticket is still waiting to be called."""
        return self.status is TicketStatus.WAITING


@dataclass(frozen=True)
class VisitStatus:
    """The visit as its visitor sees it."""

    token: str
    office_name: str
    timezone: str
    visitor_name: str
    arrived_at: dt.datetime
    left: bool
    tickets: tuple[TicketState, ...]
    language: str = ""  # the language the guest book was signed in ("": unknown)

    @property
    def first_name(self) -> str:
        """Return the first word of the visitor's name, as a ticket greets them."""
        return first_name(self.visitor_name)


def target_of(rule: ClockRule | None) -> Target | None:
    """Return a service's walk-in promise in words, or None when its standard sets none."""
    return None if rule is None else Target(_TARGET_TEXTS[rule.starts], rule.minutes)


def printed_target(rule: ClockRule | None) -> tuple[str, str]:
    """Return a service's walk-in promise in Indonesian and English for the printed ticket."""
    if rule is None:
        return "", ""
    indonesian, english = _PRINTED_TARGETS[rule.starts]
    return indonesian.format(m=rule.minutes), english.format(m=rule.minutes)


def _rule(ticket: Ticket) -> ClockRule | None:
    standard = ticket.service.standard
    return None if standard is None else rule_of(standard.walk_in_minutes, standard.walk_in_clock)


def people_ahead(uow: UnitOfWork, ticket: Ticket) -> int:
    """Return how many tickets still wait before this one in its service's queue of the day.

    A priority ticket counts only the priority tickets before it: the others are called after it
    (`queue.priority`), but for the few the rule lets through, which the estimate leaves out.
    """
    query = select(func.count(Ticket.id)).where(
        Ticket.service_id == ticket.service_id,
        Ticket.day == ticket.day,
        Ticket.status == TicketStatus.WAITING.value,
        Ticket.number < ticket.number,
    )
    if ticket.priority:
        query = query.where(Ticket.priority != "")
    return int(uow.session.scalar(query) or 0)


def _service_lengths(uow: UnitOfWork, ticket: Ticket, first: dt.date, last: dt.date) -> list[float]:
    """Return the lengths in minutes of the services finished in the ticket's queue between two days."""
    rows = uow.session.execute(
        select(Ticket.served_at, Ticket.finished_at).where(
            Ticket.service_id == ticket.service_id,
            Ticket.day >= first,
            Ticket.day <= last,
            Ticket.status == TicketStatus.DONE.value,
            Ticket.served_at.is_not(None),
            Ticket.finished_at.is_not(None),
        )
    ).all()
    return [
        (end - start).total_seconds() / 60
        for start, end in rows
        if start is not None and end is not None and end >= start
    ]


def pace_of(uow: UnitOfWork, ticket: Ticket) -> ServicePace:
    """Return the average service of the ticket's queue today, else of the last four weeks, else usual."""
    today = _service_lengths(uow, ticket, ticket.day, ticket.day)
    if today:
        return service_pace(today, [])
    yesterday = ticket.day - dt.timedelta(days=1)
    return service_pace(
        [], _service_lengths(uow, ticket, ticket.day - dt.timedelta(days=RECENT_DAYS), yesterday)
    )


def shown_status(ticket: Ticket) -> TicketStatus:
    """Return where a ticket stands for its visitor: once the visit has left, nothing is open.

    Leaving closes every open ticket (`check_depart`); a ticket still open on a visit that has
    left (recorded before that rule) is shown as leaving would have closed it.
    """
    status = TicketStatus(ticket.status)
    if ticket.visit.left_at is None or status not in OPEN_TICKET_STATUSES:
        return status
    return TicketStatus.DONE if status is TicketStatus.SERVING else TicketStatus.NO_SHOW


def _state(uow: UnitOfWork, ticket: Ticket, now: dt.datetime) -> TicketState:
    status = shown_status(ticket)
    rule = _rule(ticket)
    ahead = wait = None
    if status is TicketStatus.WAITING:
        ahead = people_ahead(uow, ticket)
        servers = servers_of(uow, ticket.service, now)
        wait = estimate_wait(ahead, servers.counters, pace_of(uow, ticket), rule, servers.terminals)
    return TicketState(
        code=ticket.code,
        service_code=ticket.service.code,
        service_name=ticket.service.name,
        service_name_en=ticket.service.name_en,
        status=status,
        status_label=TICKET_STATUSES[status],
        issued_at=ticket.issued_at,
        people_ahead=ahead,
        wait=wait,
        counter=ticket.counter if status in (TicketStatus.CALLED, TicketStatus.SERVING) else "",
        target=target_of(rule),
        survey=invitation_for(uow, ticket_event(ticket.id), now),
        came_from=origin_of(uow, ticket),
        priority=bool(ticket.priority),
    )


def find_visit(uow: UnitOfWork, token: str) -> Visit:
    """Return the visit whose status token this is, or refuse as not found."""
    visit = (
        uow.session.scalar(select(Visit).where(Visit.status_token == token))
        if 0 < len(token) <= MAX_TOKEN_LENGTH
        else None
    )
    if visit is None:
        raise NotFound(
            N_("There is no visit with this address. Check the link on your ticket, or ask the front office.")
        )
    return visit


def visit_status(uow: UnitOfWork, token: str, now: dt.datetime) -> VisitStatus:
    """Return the visit of a status token as its visitor sees it at `now`."""
    visit = find_visit(uow, token)
    return VisitStatus(
        token=visit.status_token,
        office_name=visit.office.name,
        timezone=visit.office.timezone,
        visitor_name=visit.name,
        arrived_at=visit.arrived_at,
        left=visit.left_at is not None,
        tickets=tuple(_state(uow, ticket, now) for ticket in visit.tickets),
        language=visit.language,
    )


def ticket_prints(uow: UnitOfWork, token: str, status_url: str, *, now: dt.datetime) -> list[TicketPrint]:
    """Return the printed tickets of a visit, one per ticket, each with the QR of its status page."""
    visit = find_visit(uow, token)
    prints = []
    for ticket in visit.tickets:
        state = _state(uow, ticket, now)
        target, target_en = printed_target(_rule(ticket))
        prints.append(
            TicketPrint(
                office_name=visit.office.name,
                service_name=state.service_name,
                service_name_en=state.service_name_en,
                code=state.code,
                issued_at=state.issued_at,
                status_url=status_url,
                timezone=visit.office.timezone,
                visitor_name=visit.name,
                people_ahead=state.people_ahead,
                target=target,
                target_en=target_en,
                terminal_code=terminal_code(visit.status_token) if ticket.service.code == "library" else "",
                priority=state.priority,
            )
        )
    return prints

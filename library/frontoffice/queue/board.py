"""The waiting-room board: the latest calls and who waits, per service, as the public sees them.

Ticket codes and counters only, never a name. Its `sequence` grows with every call and recall
(and with the day), so the board chimes when it goes up; each call carries the language its
visitor chose, which the board's voice speaks too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from library.clock import office_today
from library.errors import NotFound
from library.frontoffice.queue.at_work import NO_SUCH_QUEUE
from library.frontoffice.queue.counters import open_counters
from library.frontoffice.queue.read_models import _day_tickets, _services
from library.models import OPEN_TICKET_STATUSES, Office, Ticket, TicketStatus, Visit
from library.uow import UnitOfWork

BOARD_CALLS = 4  # the latest calls the board shows per service
DAY_STEP = 1_000_000  # the call sequence of a day starts above every sequence of the day before


@dataclass(frozen=True)
class BoardCall:
    """A ticket called to a counter, as the board shows it."""

    code: str
    counter: str
    called_at: dt.datetime
    calls: int
    status: TicketStatus
    priority: bool = False  # shown as "Prioritas" only: the board never names the group
    language: str = ""  # the language the visitor signed in ("en": the call is said in English too)


@dataclass(frozen=True)
class BoardService:
    """One service on the board: its latest calls, most recent first, and how many wait."""

    code: str
    letter: str
    name: str
    name_en: str
    calls: tuple[BoardCall, ...]
    waiting: int


@dataclass(frozen=True)
class BoardView:
    """The waiting-room board of an office's day."""

    office_name: str
    office_name_en: str
    day: dt.date
    sequence: int  # grows with every call and recall: the board chimes when it does
    latest: BoardCall | None  # the most recent call of all services: shown largest
    services: tuple[BoardService, ...]


def board_view(uow: UnitOfWork, office_code: str, now: dt.datetime) -> BoardView:
    """Return what the waiting-room board shows now: the latest calls and who waits, per service."""
    office = uow.session.scalar(select(Office).where(Office.code == office_code))
    if office is None:
        raise NotFound(NO_SUCH_QUEUE)
    services = _services(uow, office.id)
    day = office_today(office.timezone, now)
    tickets = _day_tickets(uow, [s.id for s in services], day, with_visits=False)
    # Once nobody waits or is served and no counter is open (the close of day, or a quiet office
    # whose staff closed their counters), the board calls nobody: the last call does not linger.
    working = any(t.status in OPEN_TICKET_STATUSES for t in tickets) or any(
        open_counters(uow, service, now) for service in services
    )
    called = {
        service.id: sorted(
            (t for t in tickets if t.service_id == service.id and working and _on_board(t)),
            key=_call_order,
            reverse=True,
        )[:BOARD_CALLS]
        for service in services
    }
    languages = _languages(uow, [t.id for shown_calls in called.values() for t in shown_calls])
    shown = [
        BoardService(
            code=service.code,
            letter=service.letter,
            name=service.name,
            name_en=service.name_en,
            calls=tuple(_board_call(t, languages) for t in called[service.id]),
            waiting=sum(
                1 for t in tickets if t.service_id == service.id and t.status == TicketStatus.WAITING
            ),
        )
        for service in services
    ]
    latest = max((t for t in tickets if working and _on_board(t)), key=_call_order, default=None)
    return BoardView(
        office_name=office.name,
        office_name_en=office.name_en,
        day=day,
        sequence=day.toordinal() * DAY_STEP + sum(t.calls for t in tickets),
        latest=None if latest is None else _board_call(latest, languages),
        services=tuple(shown),
    )


def _on_board(ticket: Ticket) -> bool:
    """Tell whether the board shows a ticket: called, and not sent on to another queue since.

    A transferred ticket's counter is no longer where its visitor goes: the board follows them to
    the new ticket, shown once that is called to its own counter.
    """
    return ticket.called_at is not None and ticket.status != TicketStatus.TRANSFERRED


def _call_order(ticket: Ticket) -> tuple[dt.datetime, int]:
    """Order tickets by when they were last called."""
    assert ticket.called_at is not None
    return ticket.called_at, ticket.id


def _board_call(ticket: Ticket, languages: dict[int, str]) -> BoardCall:
    """Return a called ticket as the board shows it (with the language its visitor chose)."""
    assert ticket.called_at is not None
    language = languages.get(ticket.id, "")
    return BoardCall(
        ticket.code,
        ticket.counter,
        ticket.called_at,
        ticket.calls,
        TicketStatus(ticket.status),
        bool(ticket.priority),
        language,
    )


def _languages(uow: UnitOfWork, ticket_ids: list[int]) -> dict[int, str]:
    """Return the language each ticket's visitor signed the guest book in ("" unknown)."""
    if not ticket_ids:
        return {}
    rows = uow.session.execute(
        select(Ticket.id, Visit.language)
        .join(Visit, Visit.id == Ticket.visit_id)
        .where(Ticket.id.in_(ticket_ids))
    )
    return {int(ticket_id): language or "" for ticket_id, language in rows}

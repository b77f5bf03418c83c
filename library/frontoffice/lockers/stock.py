"""Lockers and the ID cards held for them: given with a locker, given back when the visitor leaves.

Of an ID card only its kind and its last four letters or digits are kept: enough to hand the
right card back, and no more (the full number, such as a KTP's NIK, is personal data and is
never stored). A locker holds one visitor's things at a time and a visit holds one locker;
two partial unique indexes on the loans not yet given back hold that rule when two staff
members act at the same moment (migration 0009).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from library.clock import office_zone
from library.db import changed_rows
from library.errors import InvalidField, NotFound, PustakaError
from library.frontoffice.queue.visit_end import end_visit_tickets
from library.frontoffice.terminal.sessions import SessionEnd, end_session, open_sessions_of_visit
from library.i18n import N_
from library.models import IdCardKind, Locker, LockerLoan, Office, Visit
from library.permissions import Actor, require_lend_lockers
from library.quality.walk_in import SurveyMailQueue, invite_after_service
from library.uow import UnitOfWork

MAX_ID = 2**31 - 1  # larger numbers are no row's id (and overflow an SQL integer)
CARD_SEPARATORS = " -./"  # typed between groups of digits; never part of the four kept
Row = TypeVar("Row", Locker, LockerLoan, Visit)


class LockerConflict(PustakaError):
    """The locker, the visit or the card is not in a state that allows this (the web answers 409)."""


@dataclass(frozen=True)
class HeldCard:
    """An ID card held against a locker: whose, which, since when, for how long."""

    loan_id: int
    locker: str
    visit_id: int
    visitor: str
    card_kind: IdCardKind
    card_last4: str
    given_at: dt.datetime
    held_for: dt.timedelta
    overdue: bool  # given on an earlier day at the office: it should have gone back then


@dataclass(frozen=True)
class Departure:
    """What a visitor's leaving changed."""

    visit_id: int
    visitor: str
    left_at: dt.datetime
    already_left: bool  # the visit was closed before: only cards still held were given back
    cards: tuple[HeldCard, ...]  # the ID cards given back now
    no_show: tuple[str, ...]  # tickets still waiting or called, closed as no-shows
    finished: tuple[str, ...]  # tickets still being served, closed as done now
    terminals: tuple[str, ...]  # the terminals whose terminal session of the visit ended now


def clean_card_last4(value: str) -> str:
    """Return the last four letters or digits of an ID card, upper case; refuse anything else saying why."""
    typed = value or ""
    if sum(ch.isalnum() for ch in typed) > 4:
        raise InvalidField(
            "card_last4",
            N_(
                "Type only the last four digits or letters of the card: the full number (such as "
                "the NIK on a KTP) is personal data and is never stored."
            ),
        )
    kept = "".join(ch for ch in typed if ch not in CARD_SEPARATORS)
    if not all(ch.isascii() and ch.isalnum() for ch in kept):
        raise InvalidField("card_last4", N_("Use only the letters and digits printed on the card."))
    if len(kept) != 4:
        raise InvalidField(
            "card_last4", N_("Type exactly four characters: the last four of the card's number.")
        )
    return kept.upper()


def parse_card_kind(value: str | IdCardKind) -> IdCardKind:
    """Return the kind of ID card named by a form value; refuse an unknown one."""
    try:
        return IdCardKind(value)
    except ValueError:
        raise InvalidField("card_kind", N_("Choose the kind of ID card from the list.")) from None


def check_give_locker(
    uow: UnitOfWork,
    actor: Actor | None,
    visit_id: int,
    locker_id: int,
    card_kind: str | IdCardKind,
    card_last4: str,
    now: dt.datetime,
) -> HeldCard:
    """Give a visitor a locker against their ID card, keeping only the card's kind and last four.

    When another staff member gives the same locker (or this visitor another locker) at the
    same moment, the database refuses the second one: this rolls the unit of work back and
    says so, so the caller's transaction must hold nothing else.
    """
    staff = require_lend_lockers(uow, actor)
    kind = parse_card_kind(card_kind)
    last4 = clean_card_last4(card_last4)
    visit = visit_of(uow, visit_id)
    locker = row_of(uow, Locker, locker_id)
    if locker is None:
        raise NotFound(N_("There is no such locker."))
    label, name = locker.label, visit.name
    if locker.office_id != visit.office_id:
        raise LockerConflict(
            N_("The visit of %(name)s is at another office than locker %(locker)s."), name=name, locker=label
        )
    _refuse_closed(visit, now)
    if not locker.active:
        raise LockerConflict(N_("Locker %(locker)s is out of use; choose another one."), locker=label)
    _refuse_taken(uow, visit, locker)
    loan = LockerLoan(
        locker=locker, visit=visit, card_kind=kind.value, card_last4=last4, given_at=now, given_by_id=staff.id
    )
    uow.session.add(loan)
    try:
        uow.session.flush()
    except IntegrityError:
        # Someone else gave this locker, or a locker to this visitor, in between. (No savepoint:
        # with SQLite's driver one would commit the whole transaction.)
        uow.rollback()
        raise LockerConflict(
            N_(
                "Another staff member has just given locker %(locker)s, or a locker to %(name)s: "
                "look at the list again."
            ),
            locker=label,
            name=name,
        ) from None
    return _held(loan, now)


def check_return_locker(uow: UnitOfWork, actor: Actor | None, loan_id: int, now: dt.datetime) -> HeldCard:
    """Give the visitor their ID card back and free the locker."""
    staff = require_lend_lockers(uow, actor)
    loan = row_of(uow, LockerLoan, loan_id)
    if loan is None:
        raise NotFound(N_("There is no such locker loan."))
    held = _held(loan, now)
    if not _give_back(uow, loan, staff.id, now):
        uow.session.refresh(loan)
        raise LockerConflict(
            N_("The ID card of %(name)s (locker %(locker)s) was already given back at %(time)s."),
            name=held.visitor,
            locker=held.locker,
            time=local_time(loan.returned_at or now, loan.visit.office.timezone, now),
        )
    return held


def check_depart(
    uow: UnitOfWork,
    actor: Actor | None,
    visit_id: int,
    now: dt.datetime,
    mail: SurveyMailQueue | None = None,
) -> Departure:
    """Close a visit as the visitor leaves: give back the card held, close every open ticket.

    Tickets waiting or called become no-shows; tickets being served are finished now, and a
    terminal session still open at a terminal ends. A visit closed before keeps its time of
    leaving, and any card still held is given back. Each service given is invited to the
    survey (emailed through `mail` if not invited before).
    """
    staff = require_lend_lockers(uow, actor)
    visit = visit_of(uow, visit_id)
    closed = changed_rows(
        uow.session.execute(
            update(Visit).where(Visit.id == visit.id, Visit.left_at.is_(None)).values(left_at=now)
        )
    )
    uow.session.refresh(visit)
    cards = []
    for loan in _open_loans(uow, visit):
        if _give_back(uow, loan, staff.id, now):
            cards.append(_held(loan, now))
    no_show, finished, terminals = close_services(uow, visit, now, mail)
    return Departure(
        visit_id=visit.id,
        visitor=visit.name,
        left_at=visit.left_at or now,
        already_left=not closed,
        cards=tuple(cards),
        no_show=no_show,
        finished=finished,
        terminals=terminals,
    )


def close_services(
    uow: UnitOfWork, visit: Visit, now: dt.datetime, mail: SurveyMailQueue | None
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Close every open ticket and terminal session of a visit that ends now; invite its survey.

    Tickets waiting or called become no-shows, those being served are done now, terminal sessions
    still open end. Return the no-show codes, the finished codes (in the order the tickets were
    given) and the terminals whose session ended.
    """
    no_shows, finished = end_visit_tickets(uow, visit.id, now)
    terminals = []
    for session in open_sessions_of_visit(uow, visit.id):  # their tickets were finished just above
        end_session(session, now, SessionEnd.VISIT_CLOSED)
        terminals.append(session.terminal.name)
    for ticket in visit.tickets:  # leaving: every service they were given can be rated
        invite_after_service(uow, ticket, now, mail)
    return no_shows, finished, tuple(terminals)


def cards_held(uow: UnitOfWork, actor: Actor | None, office_code: str, now: dt.datetime) -> list[HeldCard]:
    """List every ID card the office still holds, oldest first, those of earlier days marked overdue."""
    require_lend_lockers(uow, actor)
    office = office_of(uow, office_code)
    loans = uow.session.scalars(
        select(LockerLoan)
        .join(Locker, LockerLoan.locker_id == Locker.id)
        .where(Locker.office_id == office.id, LockerLoan.returned_at.is_(None))
        .order_by(LockerLoan.given_at, LockerLoan.id)
    )
    return [_held(loan, now) for loan in loans]


def visit_of(uow: UnitOfWork, visit_id: int) -> Visit:
    """Return the visit with this id; refuse one that does not exist."""
    visit = row_of(uow, Visit, visit_id)
    if visit is None:
        raise NotFound(N_("There is no such visit."))
    return visit


def office_of(uow: UnitOfWork, office_code: str) -> Office:
    """Return the office with this BPS code; refuse an unknown one."""
    office = uow.session.scalar(select(Office).where(Office.code == office_code))
    if office is None:
        raise NotFound(N_("The office %(code)s is not loaded."), code=office_code)
    return office


def office_day(office: Office, moment: dt.datetime) -> dt.date:
    """Return the office's local date at a moment."""
    return moment.astimezone(office_zone(office.timezone)).date()


def local_time(moment: dt.datetime, timezone: str, now: dt.datetime) -> str:
    """Write a moment as the office reads it: the time alone today, with its date on another day."""
    zone = office_zone(timezone)
    local = moment.astimezone(zone)
    return local.strftime("%H:%M" if local.date() == now.astimezone(zone).date() else "%Y-%m-%d %H:%M")


def label_order(label: str) -> tuple[tuple[int, int | str], ...]:
    """Return a sort key that puts A-2 before A-10."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", label)
        if part
    )


def row_of(uow: UnitOfWork, model: type[Row], row_id: int) -> Row | None:
    """Return the row of a model with this id, or None (also for an id no row can have)."""
    if not isinstance(row_id, int) or not 1 <= row_id <= MAX_ID:
        return None
    return uow.session.get(model, row_id)


def _refuse_closed(visit: Visit, now: dt.datetime) -> None:
    """Refuse a locker to a visit that is over: the visitor left, or came on another day."""
    if visit.left_at is not None:
        raise LockerConflict(
            N_("%(name)s has already left: the visit is closed, so no locker can be given to it."),
            name=visit.name,
        )
    if visit.day != office_day(visit.office, now):
        raise LockerConflict(
            N_("The visit of %(name)s was on %(day)s, not today: ask them to fill in the guest book again."),
            name=visit.name,
            day=visit.day.isoformat(),
        )


def _refuse_taken(uow: UnitOfWork, visit: Visit, locker: Locker) -> None:
    """Refuse a locker already in use, or a visitor already holding one."""
    held = next(iter(_open_loans(uow, visit)), None)
    if held is not None:
        raise LockerConflict(
            N_("%(name)s already holds locker %(locker)s; give that one back first."),
            name=visit.name,
            locker=held.locker.label,
        )
    taken = uow.session.scalar(
        select(LockerLoan).where(LockerLoan.locker_id == locker.id, LockerLoan.returned_at.is_(None))
    )
    if taken is not None:
        raise LockerConflict(
            N_("Locker %(locker)s is already in use (%(name)s); choose another one."),
            locker=locker.label,
            name=taken.visit.name,
        )


def _open_loans(uow: UnitOfWork, visit: Visit) -> list[LockerLoan]:
    """Return the visit's loans whose card has not been given back."""
    return list(
        uow.session.scalars(
            select(LockerLoan)
            .where(LockerLoan.visit_id == visit.id, LockerLoan.returned_at.is_(None))
            .order_by(LockerLoan.id)
        )
    )


def _give_back(uow: UnitOfWork, loan: LockerLoan, staff_id: int, now: dt.datetime) -> bool:
    """Mark the loan's card given back unless it already was; tell whether this call did it."""
    result = uow.session.execute(
        update(LockerLoan)
        .where(LockerLoan.id == loan.id, LockerLoan.returned_at.is_(None))
        .values(returned_at=now, returned_by_id=staff_id)
    )
    return changed_rows(result) == 1


def _held(loan: LockerLoan, now: dt.datetime) -> HeldCard:
    """Describe a loan's card as held at `now`."""
    office = loan.visit.office
    return HeldCard(
        loan_id=loan.id,
        locker=loan.locker.label,
        visit_id=loan.visit_id,
        visitor=loan.visit.name,
        card_kind=IdCardKind(loan.card_kind),
        card_last4=loan.card_last4,
        given_at=loan.given_at,
        held_for=max(now - loan.given_at, dt.timedelta(0)),
        overdue=office_day(office, loan.given_at) < office_day(office, now),
    )

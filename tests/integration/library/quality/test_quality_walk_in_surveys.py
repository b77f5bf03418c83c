"""Walk-in visitors are invited to rate each service they were given, once, on the terminal or by QR."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from library.frontoffice.lockers.stock import check_depart
from library.frontoffice.queue.actions import finish_service, start_service
from library.frontoffice.queue.served_by_machine import mark_served
from library.frontoffice.terminal.sessions import SessionEnd, end_session
from library.frontoffice.visit_status import visit_status
from library.models import (
    Publication,
    ReadingSession,
    SurveyChannel,
    SurveyInvitation,
    Terminal,
    TerminalSession,
)
from library.quality.survey import ticket_event
from library.uow import UnitOfWork
from tests.integration.library.queue_helpers import arrive, at, person, set_up


@pytest.fixture
def day(uow: UnitOfWork):
    with uow:
        set_up(uow)
        yield uow


def invitations(uow: UnitOfWork) -> list[SurveyInvitation]:
    return list(uow.session.scalars(select(SurveyInvitation).order_by(SurveyInvitation.id)))


def test_finishing_a_service_invites_its_visitor_to_rate_it(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    start_service(day, person(day, "front"), ticket.id, at(1))
    finish_service(day, person(day, "front"), ticket.id, at(20))
    [invitation] = invitations(day)
    assert (invitation.event_key, invitation.service, invitation.channel) == (
        ticket_event(ticket.id),
        "library",
        SurveyChannel.VISIT.value,
    )
    status = visit_status(day, ticket.visit.status_token, at(21))
    assert status.tickets[0].survey == invitation.token


def test_leaving_invites_for_services_given_and_never_for_a_no_show(day: UnitOfWork) -> None:
    library, consultation = arrive(day, "Budi", 0, ("library", "consultation"))
    start_service(day, person(day, "front"), library.id, at(1))  # at the terminal or a counter
    check_depart(day, person(day, "front"), library.visit_id, at(30))  # the consultation never came
    assert [i.event_key for i in invitations(day)] == [ticket_event(library.id)]
    status = visit_status(day, library.visit.status_token, at(31))
    assert [t.survey is not None for t in status.tickets] == [True, False]
    check_depart(day, person(day, "front"), library.visit_id, at(32))  # twice: still one
    assert day.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 1


def _terminal_service(day: UnitOfWork, ticket, started: float, ended: float) -> None:  # type: ignore[no-untyped-def]
    """Serve the ticket by a terminal session from minute `started` to `ended`, then let the visitor leave."""
    terminal = Terminal(office_id=ticket.visit.office_id, name="Terminal 1", token_hash="t" * 64)
    day.session.add(terminal)
    mark_served(day, ticket, at(started))
    session = TerminalSession(
        terminal=terminal,
        visit=ticket.visit,
        ticket_id=ticket.id,
        started_at=at(started),
        last_active_at=at(started),
    )
    day.session.add(session)
    day.session.flush()
    end_session(session, at(ended), SessionEnd.DONE)
    check_depart(day, person(day, "front"), ticket.visit_id, at(ended + 1))


def test_a_terminal_session_opened_and_closed_at_once_gives_nothing_to_rate(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    _terminal_service(day, ticket, 1, 1.25)  # fifteen seconds: kiosk, terminal, "Selesai"
    assert invitations(day) == []


def test_a_terminal_session_used_for_a_while_is_a_service_to_rate(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    _terminal_service(day, ticket, 1, 3)
    assert [i.event_key for i in invitations(day)] == [ticket_event(ticket.id)]


def _served_at_a_counter(day: UnitOfWork, name: str, minute: float, *, email: str = "", check: str = ""):  # type: ignore[no-untyped-def]
    """Record a visitor, serve them at a counter and return their ticket."""
    ticket = arrive(day, name, minute)[0]
    ticket.visit.email = email
    if check:
        ticket.visit.identity_check = check
    start_service(day, person(day, "front"), ticket.id, at(minute + 1))
    finish_service(day, person(day, "front"), ticket.id, at(minute + 5))
    return ticket


def test_a_proven_person_signing_in_again_the_same_day_is_not_invited_again(day: UnitOfWork) -> None:
    first = _served_at_a_counter(day, "Ani", 0, email="ani@example.id", check="email_code")
    _served_at_a_counter(day, "Ani L.", 10, email="ani@example.id", check="password")  # proven again
    other = _served_at_a_counter(day, "Budi", 20)  # someone else is invited as ever
    assert [i.event_key for i in invitations(day)] == [ticket_event(first.id), ticket_event(other.id)]


def test_a_typed_name_phone_or_address_proves_nothing_a_repeat_is_invited_and_flagged(
    day: UnitOfWork,
) -> None:
    first = _served_at_a_counter(day, "Ani", 0, email="ani@example.id")  # typed, never proven
    again = _served_at_a_counter(day, "Ani", 10)  # the same declared name
    address = _served_at_a_counter(day, "Citra", 20, email="ani@example.id")  # the same typed address
    other = _served_at_a_counter(day, "Budi", 30)
    assert {i.event_key: i.doubts for i in invitations(day)} == {
        ticket_event(first.id): "",
        ticket_event(again.id): "same_declared",
        ticket_event(address.id): "same_declared",
        ticket_event(other.id): "",
    }


def test_a_terminal_session_of_under_a_minute_with_a_page_read_is_rated_and_flagged(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    book = Publication(
        key="mda", title="Kota Metro Dalam Angka 2024", issuing_office_id=ticket.visit.office_id
    )
    day.session.add(book)
    day.session.flush()
    read = ReadingSession(
        session_id="r1",
        publication_id=book.id,
        visit_id=ticket.visit_id,
        reader_name="Ani",
        office_code="1872",
    )
    read.started_at = at(1.1)
    day.session.add(read)
    _terminal_service(day, ticket, 1, 1.5)
    [invitation] = invitations(day)
    assert (invitation.event_key, invitation.doubts) == (ticket_event(ticket.id), "short_session")

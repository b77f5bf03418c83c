"""A visitor leaving a library terminal: the session ends, and a used one offers the library survey."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from library.frontoffice.terminal.devices import check_register_terminal, terminal_by_token
from library.frontoffice.terminal.sessions import SessionEnd, check_start_session, finish_session
from library.models import Role, SurveyInvitation, TerminalSession
from library.uow import UnitOfWork
from tests.integration.library.outbox import SurveyMails
from tests.integration.library.terminal_helpers import METRO, NOW, load_offices, person, secret_of, walk_in

USED = NOW + dt.timedelta(minutes=5)  # read long enough for the library service to count


@pytest.fixture
def session_id(uow: UnitOfWork) -> int:
    """Start a terminal session at NOW for a visitor who gave an email; return its id."""
    load_offices(uow)
    admin = person(uow, "admin@bps.go.id", [Role.ADMIN])
    codes = walk_in(uow, email="budi@example.id")
    typed = secret_of(uow, codes["library"])
    with uow:
        _, token = check_register_terminal(uow, admin, "Terminal 1", NOW, office_code=METRO)
        terminal = terminal_by_token(uow, token)
        assert terminal is not None
        started = check_start_session(uow, terminal, typed, NOW).id
        uow.commit()
    return started


def finish(
    uow: UnitOfWork, session_id: int, at: dt.datetime, because: SessionEnd, mails: SurveyMails
) -> str | None:
    """Finish the session and commit; return the survey offered."""
    with uow:
        survey = finish_session(uow, session_id, at, because, mails)
        uow.commit()
    return survey


def ended(uow: UnitOfWork, session_id: int) -> tuple[dt.datetime | None, str]:
    """Return when and why the session ended."""
    with uow:
        row = uow.session.get_one(TerminalSession, session_id)
        return row.ended_at, row.ended_because


def invitations(uow: UnitOfWork) -> list[str]:
    """Return the tokens of every survey invitation."""
    with uow:
        return list(uow.session.scalars(select(SurveyInvitation.token)))


def test_selesai_after_reading_ends_the_session_and_offers_the_survey_of_the_service(
    uow: UnitOfWork, session_id: int
) -> None:
    mails = SurveyMails()
    survey = finish(uow, session_id, USED, SessionEnd.DONE, mails)
    assert ended(uow, session_id) == (USED, SessionEnd.DONE.value)
    assert survey is not None and invitations(uow) == [survey]
    assert len(mails.tickets) == 1  # and by email, for a visitor who leaves it unanswered here


def test_the_survey_email_leaves_only_once_the_end_is_committed(uow: UnitOfWork, session_id: int) -> None:
    mails = SurveyMails()
    with uow:
        assert finish_session(uow, session_id, USED, SessionEnd.DONE, mails) is not None
        assert mails.tickets == []
    assert mails.tickets == []  # rolled back: no invitation, no email
    assert invitations(uow) == []
    assert ended(uow, session_id) == (None, "")


def test_a_session_ended_by_the_idle_timer_offers_no_survey(uow: UnitOfWork, session_id: int) -> None:
    mails = SurveyMails()
    assert finish(uow, session_id, USED, SessionEnd.IDLE, mails) is None
    assert ended(uow, session_id) == (USED, SessionEnd.IDLE.value)
    assert invitations(uow) == [] and mails.tickets == []


def test_a_session_closed_at_once_gave_no_service_to_rate(uow: UnitOfWork, session_id: int) -> None:
    mails = SurveyMails()
    at_once = NOW + dt.timedelta(seconds=10)
    assert finish(uow, session_id, at_once, SessionEnd.DONE, mails) is None
    assert ended(uow, session_id) == (at_once, SessionEnd.DONE.value)
    assert invitations(uow) == [] and mails.tickets == []


def test_a_session_that_is_gone_ends_nothing(uow: UnitOfWork, session_id: int) -> None:
    mails = SurveyMails()
    assert finish(uow, session_id + 1, USED, SessionEnd.DONE, mails) is None
    assert ended(uow, session_id) == (None, "")
    assert invitations(uow) == [] and mails.tickets == []

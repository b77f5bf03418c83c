"""A walk-in visitor who left an email address is sent the survey link once per service, unless rated."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from library.db import make_session_factory
from library.frontoffice.lockers.stock import check_depart
from library.frontoffice.queue.actions import finish_service, start_service
from library.mail import Mailer
from library.models import SurveyInvitation, Ticket
from library.quality.survey import submit_survey
from library.quality.visit_mail import SurveyPost, send_visit_survey
from library.quality.walk_in import invite_after_service
from library.uow import UnitOfWork
from tests.integration.library.accounts.helpers import RecordingBackend
from tests.integration.library.outbox import SurveyMails
from tests.integration.library.queue_helpers import arrive, at, person, set_up

ALL_GOOD = {f"U{n}": "4" for n in range(1, 10)}


@pytest.fixture
def mails() -> SurveyMails:
    return SurveyMails()


@pytest.fixture
def backend() -> RecordingBackend:
    return RecordingBackend()


@pytest.fixture
def post(engine: Engine, backend: RecordingBackend) -> SurveyPost:
    return SurveyPost(
        session_factory=make_session_factory(engine),
        mailer=Mailer(backend, "PST <pst@example.id>"),
        survey_link=lambda token: f"https://pst.example/survei/{token}",
        now=lambda: at(40),
    )


def served(
    uow: UnitOfWork, email: str = "ani@example.id", services: tuple[str, ...] = ("library",)
) -> list[int]:
    """Record a visitor (with this address) whose first service has started; return the ticket ids."""
    with uow:
        set_up(uow)
        tickets = arrive(uow, "Ani Lestari", 0, services)
        tickets[0].visit.email = email
        start_service(uow, person(uow, "front"), tickets[0].id, at(1))
        ids = [t.id for t in tickets]
        uow.commit()
    return ids


def finish(uow: UnitOfWork, ticket_id: int, mails: SurveyMails, minutes: float = 20) -> None:
    with uow:
        finish_service(uow, person(uow, "front"), ticket_id, at(minutes), mail=mails)
        uow.commit()


def depart(uow: UnitOfWork, ticket_id: int, mails: SurveyMails, minutes: float = 30) -> None:
    with uow:
        visit_id = uow.session.get(Ticket, ticket_id).visit_id  # type: ignore[union-attr]
        check_depart(uow, person(uow, "front"), visit_id, at(minutes), mails)
        uow.commit()


def token_of(uow: UnitOfWork) -> str:
    with uow:
        token = uow.session.scalar(select(SurveyInvitation.token))
    assert token is not None
    return token


def test_finishing_a_service_queues_one_survey_email_once_committed(uow, mails) -> None:
    [ticket] = served(uow)
    with uow:
        finish_service(uow, person(uow, "front"), ticket, at(20), mail=mails)
        assert mails.tickets == []  # nothing before the commit
        uow.commit()
    assert mails.tickets == [ticket]


def test_a_finish_rolled_back_queues_nothing(uow, mails) -> None:
    [ticket] = served(uow)
    with uow:
        finish_service(uow, person(uow, "front"), ticket, at(20), mail=mails)
    assert mails.tickets == []


def test_finishing_then_leaving_then_leaving_again_emails_once(uow, mails) -> None:
    [ticket] = served(uow)
    finish(uow, ticket, mails)
    depart(uow, ticket, mails, 30)
    depart(uow, ticket, mails, 31)
    with uow:  # the terminal's "Selesai" after all that
        invite_after_service(uow, uow.session.get(Ticket, ticket), at(32), mails)  # type: ignore[arg-type]
        uow.commit()
    assert mails.tickets == [ticket]


def test_leaving_while_still_served_finishes_that_service_and_emails_it_once(uow, mails) -> None:
    library, consultation = served(uow, services=("library", "consultation"))
    depart(uow, library, mails, 30)  # the consultation was never given: no survey, no email
    depart(uow, library, mails, 35)
    assert mails.tickets == [library]
    with uow:
        assert uow.session.get(Ticket, library).status == "done"  # type: ignore[union-attr]


def test_a_visit_without_an_email_address_is_not_mailed(uow, mails) -> None:
    [ticket] = served(uow, email="")
    finish(uow, ticket, mails)
    assert mails.tickets == []
    with uow:  # invited all the same: on the terminal and by the ticket's QR code
        assert uow.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 1


def test_the_job_sends_the_link_in_indonesian_then_english(uow, mails, post, backend) -> None:
    [ticket] = served(uow)
    finish(uow, ticket, mails)
    assert send_visit_survey(post, ticket) is True
    [mail] = backend.sent
    assert mail["To"] == "ani@example.id"
    assert mail["Subject"] == "Mohon nilai layanan Perpustakaan kami · Please rate our library service"
    text = mail.get_content()
    link = f"https://pst.example/survei/{token_of(uow)}"
    indonesian, english = text.split("— English —")
    assert (
        "Halo Ani Lestari" in indonesian and link in indonesian and "hanya dapat dipakai sekali" in indonesian
    )
    assert "Hello Ani Lestari" in english and link in english and "can be used once" in english
    assert "Kota Metro" in indonesian and "Metro" in english


def test_the_job_sends_nothing_once_the_visitor_rated_the_service_on_the_terminal(
    uow, mails, post, backend
) -> None:
    [ticket] = served(uow)
    finish(uow, ticket, mails)
    token = token_of(uow)
    with uow:
        submit_survey(uow, token, ALL_GOOD, "", at(22))
        uow.commit()
    assert send_visit_survey(post, ticket) is False
    assert backend.sent == []


def test_the_job_sends_nothing_for_an_expired_invitation_or_a_ticket_gone(
    uow, engine, mails, backend
) -> None:
    [ticket] = served(uow)
    finish(uow, ticket, mails)
    later = SurveyPost(
        session_factory=make_session_factory(engine),
        mailer=Mailer(backend, "PST <pst@example.id>"),
        survey_link=lambda token: token,
        now=lambda: at(20) + dt.timedelta(days=31),
    )
    assert send_visit_survey(later, ticket) is False
    assert send_visit_survey(later, 2**31 - 1) is False
    assert backend.sent == []


def test_a_mail_server_that_is_down_fails_the_job_so_the_queue_tries_again(uow, mails, post, backend) -> None:
    [ticket] = served(uow)
    finish(uow, ticket, mails)
    backend.down = True
    with pytest.raises(ConnectionRefusedError):
        send_visit_survey(post, ticket)
    backend.down = False
    assert send_visit_survey(post, ticket) is True
    assert len(backend.sent) == 1

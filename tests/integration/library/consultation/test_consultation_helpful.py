"""Online consultations on SQLite and PostgreSQL: the acknowledgement, and the user's own close."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from library.consultation.consultations import check_open_consultation
from library.consultation.helpful import check_close_helpful
from library.consultation.read_models import consultation_view
from library.consultation.reopen import check_reopen
from library.consultation.staff import check_mark_clear, check_staff_reply
from library.errors import InvalidInput, NotAllowed, NotFound
from library.models import ConsultationAction, ConsultationStatus, Role, SurveyInvitation
from library.uow import UnitOfWork
from tests.integration.library.consultation.test_consultations import (
    GOOD,
    NOW,
    RULES,
    WIB,
    opened,
    person,
    step,
)
from tests.integration.library.frontoffice_helpers import load_offices

SATURDAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def offices(uow: UnitOfWork) -> None:
    load_offices(uow)


def answered(uow: UnitOfWork) -> tuple[str, object, object]:
    """Ani asks, Budi marks the question clear and answers; return the number, Ani and Budi."""
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    number = opened(uow, ani)
    step(uow, check_mark_clear, budi, number, RULES, NOW)
    step(uow, check_staff_reply, budi, number, "Lihat tabel 3.1.", NOW, action=ConsultationAction.ANSWERED)
    return number, ani, budi


def test_opening_acknowledges_the_number_and_the_due_date_the_standard_clock_gives(uow, post, sent) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    number = step(uow, check_open_consultation, ani, GOOD, RULES, SATURDAY, post=post)
    [mail] = sent.messages
    text = mail.get_content()
    assert mail["To"] == "ani@example.id" and number in mail["Subject"]
    # Asked on a Saturday: the 3 working days count from Monday's opening, as a clear question's clock.
    assert "paling lambat 3 Desember 2026 08.00 WIB" in text and "due by 3 December 2026, 08:00 WIB" in text
    assert text.index("sudah kami terima") < text.index("We have received")
    assert f"https://pst.example.id/konsultasi/{number}" in text
    due = step(uow, check_mark_clear, budi, number, RULES, SATURDAY)
    assert due == dt.datetime(2026, 12, 3, 8, 0, tzinfo=WIB)


def test_the_user_closes_an_answered_consultation_and_is_invited_to_the_survey_at_once(
    uow, post, sent
) -> None:
    number, ani, _ = answered(uow)
    later = NOW + dt.timedelta(hours=2)
    token = step(uow, check_close_helpful, ani, number, later, post)
    with uow:
        view = consultation_view(uow, ani, number)
        invited = uow.session.scalars(
            select(SurveyInvitation.event_key).where(SurveyInvitation.token == token)
        ).one()
    assert view.summary.status is ConsultationStatus.CLOSED and view.closed_at == later
    last = view.events[-1]
    assert (last.action, last.actor_name) == (ConsultationAction.CLOSED_BY_USER, "Ani Suryani")
    assert invited == f"consultation:{number}"
    closing, told = sent.messages
    assert closing["To"] == "ani@example.id"
    assert f"https://pst.example.id/survei/{token}" in closing.get_content()
    assert told["To"] == "budi@example.id" and f"/meja/konsultasi/{number}" in told.get_content()


def test_only_the_asker_closes_and_only_once_the_consultant_has_answered(uow) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    eka = person(uow, "eka@example.id", name="Eka")
    number = opened(uow, ani)
    step(uow, check_mark_clear, budi, number, RULES, NOW)
    with uow, pytest.raises(InvalidInput, match="no answer yet"):
        check_close_helpful(uow, ani, number, NOW)
    step(uow, check_staff_reply, budi, number, "Lihat tabel 3.1.", NOW, action=ConsultationAction.ANSWERED)
    with uow, pytest.raises(NotFound):
        check_close_helpful(uow, eka, number, NOW)
    with uow, pytest.raises(NotAllowed):
        check_close_helpful(uow, budi, number, NOW)
    step(uow, check_close_helpful, ani, number, NOW)
    with uow, pytest.raises(InvalidInput, match="is closed"):
        check_close_helpful(uow, ani, number, NOW)


def test_a_consultation_its_user_closed_reopens_as_answered(uow) -> None:
    number, ani, _ = answered(uow)
    step(uow, check_close_helpful, ani, number, NOW)
    step(uow, check_reopen, ani, number, "Satu hal lagi: data 2019?", RULES, NOW + dt.timedelta(days=1))
    with uow:
        view = consultation_view(uow, ani, number)
    assert view.summary.status is ConsultationStatus.ANSWERED

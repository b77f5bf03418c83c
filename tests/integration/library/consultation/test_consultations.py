"""Online consultations on SQLite and PostgreSQL: the lifecycle, who may do what, the clock, the emails."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from library.accounts.users import check_create_user
from library.consultation.consultations import ConsultationQuestion, check_open_consultation, check_user_reply
from library.consultation.read_models import consultation_view, list_desk, list_my_consultations
from library.consultation.rules import ConsultationRules
from library.consultation.staff import (
    StaffMessage,
    check_assign,
    check_close,
    check_mark_clear,
    check_staff_message,
    check_staff_reply,
)
from library.errors import InvalidField, InvalidFields, InvalidInput, NotAllowed, NotFound
from library.frontoffice.queue.clocks import Level
from library.models import ConsultationAction, ConsultationStatus, Role, SurveyInvitation
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from library.working_days import Calendar
from tests.integration.library.frontoffice_helpers import METRO, load_offices

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)  # Monday 10:00 WIB
RULES = ConsultationRules(office_code=METRO, calendar=Calendar.of("Asia/Jakarta"))
GOOD = ConsultationQuestion(
    topic="Data kemiskinan",
    question="Berapa persentase penduduk miskin Kota Metro per kecamatan?",
    data_subject="Kemiskinan",
    data_region="Kota Metro",
    data_period="2020-2024",
)
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def offices(uow: UnitOfWork) -> None:
    load_offices(uow)


def person(uow: UnitOfWork, email: str, *, verified: bool = True, roles=(Role.READER,), name="Ani Suryani"):
    with uow:
        made = check_create_user(
            uow,
            SYSTEM,
            email=email,
            name=name,
            roles=roles,
            password="kopi tubruk pagi hari",
            email_verified=verified,
            now=utcnow(),
        )
        uow.commit()
    return made


def opened(uow: UnitOfWork, actor, form: ConsultationQuestion = GOOD, now: dt.datetime = NOW) -> str:
    with uow:
        number = check_open_consultation(uow, actor, form, RULES, now)
        uow.commit()
    return number


def step(uow: UnitOfWork, use_case, *args, **kwargs):
    with uow:
        result = use_case(uow, *args, **kwargs)
        uow.commit()
    return result


def test_a_consultation_goes_from_new_to_closed_with_a_history_of_who_did_what(uow, post, sent) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    number = opened(uow, ani)
    assert number.startswith("KS-20261123-")
    due, token = assign_clarify_answer_and_close(uow, post, ani, budi, number)
    with uow:
        view = consultation_view(uow, ani, number)
        invitation = uow.session.execute(
            select(SurveyInvitation.event_key, SurveyInvitation.service, SurveyInvitation.channel).where(
                SurveyInvitation.token == token
            )
        ).one()
    assert view.summary.status is ConsultationStatus.CLOSED
    assert view.summary.due_at == due == dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.UTC)
    assert [(e.action, e.status, e.actor_name) for e in view.events] == [
        (ConsultationAction.OPENED, ConsultationStatus.NEW, "Ani Suryani"),
        (ConsultationAction.ASSIGNED, ConsultationStatus.NEW, "Budi Santoso"),
        (ConsultationAction.ASKED, ConsultationStatus.CLARIFICATION, "Budi Santoso"),
        (ConsultationAction.CLEAR, ConsultationStatus.CLEAR, "Budi Santoso"),
        (ConsultationAction.ANSWERED, ConsultationStatus.ANSWERED, "Budi Santoso"),
        (ConsultationAction.CLOSED, ConsultationStatus.CLOSED, "Budi Santoso"),
    ]
    assert [(m.from_staff, m.author_name) for m in view.messages] == [
        (True, "Budi Santoso"),
        (False, "Ani Suryani"),
        (True, "Budi Santoso"),
    ]
    assert tuple(invitation) == (
        f"consultation:{number}",
        "consultation",
        "consultation",
    )
    mail_went_to_the_user_the_consultant_then_the_user_with_the_survey(sent, number, token)


def assign_clarify_answer_and_close(uow, post, ani, budi, number: str) -> tuple[dt.datetime, str]:
    """Budi takes the consultation, asks, hears back, marks it clear, answers and closes it.

    Return its due time and its survey link's token.
    """
    step(uow, check_assign, budi, number, budi.id, NOW)
    step(
        uow,
        check_staff_reply,
        budi,
        number,
        "Kecamatan mana saja?",
        NOW,
        post,
        action=ConsultationAction.ASKED,
    )
    step(uow, check_user_reply, ani, number, "Semua kecamatan, tolong.", NOW, post)
    due = step(uow, check_mark_clear, budi, number, RULES, NOW)
    step(
        uow,
        check_staff_reply,
        budi,
        number,
        "Tabel terlampir di publikasi X.",
        NOW,
        post,
        action=ConsultationAction.ANSWERED,
    )
    return due, step(uow, check_close, budi, number, NOW, post)


def mail_went_to_the_user_the_consultant_then_the_user_with_the_survey(sent, number: str, token: str) -> None:
    """The mails: the user, the consultant (the desk's link), the user twice, the last with the survey."""
    assert [m["To"] for m in sent.messages] == [
        "ani@example.id",
        "budi@example.id",
        "ani@example.id",
        "ani@example.id",
    ]
    assert f"https://pst.example.id/meja/konsultasi/{number}" in sent.messages[1].get_content()
    closing = sent.messages[-1].get_content()
    assert f"https://pst.example.id/survei/{token}" in closing
    assert closing.index("Konsultasi") < closing.index("Consultation")


def test_every_problem_with_the_form_is_named_at_once(uow) -> None:
    ani = person(uow, "ani@example.id", verified=False)
    with uow, pytest.raises(InvalidFields) as caught:
        check_open_consultation(
            uow, ani, ConsultationQuestion(question="pendek", data_period="x" * 101), RULES, NOW
        )
    problems = caught.value.problems
    assert isinstance(problems[0], NotAllowed)
    assert [getattr(p, "field", None) for p in problems[1:]] == [
        "topic",
        "question",
        "data_subject",
        "data_region",
        "data_period",
    ]


def test_nobody_signed_in_cannot_open_a_consultation(uow) -> None:
    with uow, pytest.raises(NotAllowed):
        check_open_consultation(uow, None, GOOD, RULES, NOW)


def test_the_clock_skips_a_holiday_and_cuti_bersama_and_an_office_closure(uow) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    number = opened(uow, ani)
    tuesday = dt.datetime(2026, 12, 22, 14, 0, tzinfo=WIB)
    closed_monday = ConsultationRules(
        office_code=METRO, calendar=Calendar.of("Asia/Jakarta", [dt.date(2026, 12, 28)])
    )
    due = step(uow, check_mark_clear, budi, number, closed_monday, tuesday)
    # Wed 23 works; Thu 24 (cuti bersama), Fri 25 (Christmas), the weekend and Mon 28 (closure) do not.
    assert due == dt.datetime(2026, 12, 30, 14, 0, tzinfo=WIB)


def test_the_desk_lists_by_deadline_with_amber_and_red(uow) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    early, late, waiting = opened(uow, ani), opened(uow, ani), opened(uow, ani)
    step(uow, check_mark_clear, budi, late, RULES, NOW)
    step(uow, check_mark_clear, budi, early, RULES, NOW - dt.timedelta(days=7))
    with uow:
        desk = list_desk(uow, budi)
    assert [c.number for c in desk] == [early, late, waiting]
    levels = [c.level(NOW + dt.timedelta(days=2, hours=12)) for c in desk]
    assert levels == [Level.RED, Level.AMBER, Level.NONE]
    assert desk[1].level(NOW + dt.timedelta(hours=1)) is Level.OK


def test_only_consultants_work_the_desk_and_others_do_not_see_a_consultation(uow) -> None:
    ani = person(uow, "ani@example.id")
    eka = person(uow, "eka@example.id", name="Eka")
    librarian = person(uow, "lib@example.id", roles=(Role.LIBRARIAN,))
    number = opened(uow, ani)
    for actor in (ani, librarian):
        with uow, pytest.raises(NotAllowed):
            list_desk(uow, actor)
        with uow, pytest.raises(NotAllowed):
            check_mark_clear(uow, actor, number, RULES, NOW)
        with uow, pytest.raises(NotAllowed):
            check_staff_reply(uow, actor, number, "Halo", NOW)
    with uow, pytest.raises(NotFound):
        consultation_view(uow, eka, number)
    with uow, pytest.raises(NotFound):
        check_user_reply(uow, eka, number, "Halo", NOW)
    with uow:
        assert list_my_consultations(uow, eka) == []
        assert [c.number for c in list_my_consultations(uow, ani)] == [number]


def test_a_consultant_cannot_write_as_the_user_nor_assign_a_reader(uow) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    number = opened(uow, ani)
    with uow, pytest.raises(NotAllowed):
        check_user_reply(uow, budi, number, "Halo", NOW)
    with uow, pytest.raises(InvalidField):
        check_assign(uow, budi, number, ani.id, NOW)


def test_steps_out_of_order_and_on_a_closed_consultation_are_refused(uow) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    number = opened(uow, ani)
    with uow, pytest.raises(InvalidInput, match="clear and complete before answering"):
        check_staff_reply(uow, budi, number, "Jawaban", NOW, action=ConsultationAction.ANSWERED)
    step(uow, check_mark_clear, budi, number, RULES, NOW)
    with uow, pytest.raises(InvalidInput, match="already clear"):
        check_mark_clear(uow, budi, number, RULES, NOW)
    step(uow, check_close, budi, number, NOW)
    with uow, pytest.raises(InvalidInput, match="is closed"):
        check_user_reply(uow, ani, number, "Satu lagi", NOW)
    with uow, pytest.raises(InvalidInput, match="is closed"):
        check_close(uow, budi, number, NOW)


def test_asking_for_clarification_stops_the_clock(uow) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    number = opened(uow, ani)
    step(uow, check_mark_clear, budi, number, RULES, NOW)
    step(uow, check_staff_reply, budi, number, "Periode mana?", NOW, action=ConsultationAction.ASKED)
    with uow:
        view = consultation_view(uow, budi, number)
    assert view.summary.status is ConsultationStatus.CLARIFICATION
    assert view.summary.due_at is None


def test_an_empty_message_is_refused(uow) -> None:
    ani = person(uow, "ani@example.id")
    number = opened(uow, ani)
    with uow, pytest.raises(InvalidField, match="Write your message"):
        check_user_reply(uow, ani, number, "  \x00 ", NOW)


@pytest.mark.parametrize(
    ("meant", "took", "status"),
    [
        (StaffMessage.SEND, ConsultationAction.ANSWERED, ConsultationStatus.ANSWERED),
        (StaffMessage.NOTE, None, ConsultationStatus.CLEAR),
        (StaffMessage.ASK, ConsultationAction.ASKED, ConsultationStatus.CLARIFICATION),
        (StaffMessage.ANSWER, ConsultationAction.ANSWERED, ConsultationStatus.ANSWERED),
    ],
)
def test_a_message_on_a_clear_question_takes_the_step_the_consultant_meant(uow, meant, took, status) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    number = opened(uow, ani)
    step(uow, check_mark_clear, budi, number, RULES, NOW)
    assert step(uow, check_staff_message, budi, number, "Lihat tabel 3.1.", meant, NOW) is took
    with uow:
        view = consultation_view(uow, budi, number)
    assert view.summary.status is status

"""Follow-up appointments on SQLite and PostgreSQL: proposed with an .ics, accepted or moved, checked."""

from __future__ import annotations

import datetime as dt

import pytest

from library.consultation.appointments import (
    AppointmentDetails,
    check_answer_appointment,
    check_propose_appointment,
)
from library.consultation.read_models import consultation_view
from library.consultation.silence import close_silent
from library.errors import InvalidField, InvalidFields, InvalidInput, NotFound
from library.models import AppointmentStatus, ConsultationAction
from library.uow import UnitOfWork
from tests.integration.library.consultation.test_consultation_silence import TULANG_BAWANG, rules_of, waiting
from tests.integration.library.consultation.test_consultations import step
from tests.integration.library.frontoffice_helpers import load_offices

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB)
VIDEO = AppointmentDetails(
    kind="video", day="2026-05-13", time="14:00", minutes="45", place="https://meet.example.id/abc"
)


@pytest.fixture(autouse=True)
def offices(uow: UnitOfWork) -> None:
    load_offices(uow)


def propose(uow, budi, number, form=VIDEO, now=NOW, to=None) -> int:
    return step(uow, check_propose_appointment, budi, number, form, rules_of(TULANG_BAWANG), now, to)


def test_a_video_appointment_is_emailed_with_its_ics_and_shown_in_the_thread(uow, post, sent) -> None:
    number, ani, budi = waiting(uow, TULANG_BAWANG, NOW)
    sent.messages.clear()
    propose(uow, budi, number, to=post)
    with uow:
        view = consultation_view(uow, ani, number)
    (shown,) = view.appointments
    assert shown.status is AppointmentStatus.PROPOSED and shown.open
    assert shown.starts_at == dt.datetime(2026, 5, 13, 7, 0, tzinfo=dt.UTC)
    assert shown.ends_at - shown.starts_at == dt.timedelta(minutes=45)
    assert view.events[-1].action is ConsultationAction.APPOINTMENT
    (mail,) = sent.messages
    assert mail["To"] == ani.email and "https://meet.example.id/abc" in mail.get_body().get_content()
    (ics,) = mail.iter_attachments()
    text = ics.get_payload(decode=True).decode()
    assert ics.get_content_type() == "text/calendar"
    assert "DTSTART:20260513T070000Z\r\n" in text and "DTEND:20260513T074500Z\r\n" in text
    assert "UID:" in text and "DTSTAMP:20260512T030000Z\r\n" in text


def test_the_user_accepts_and_the_consultant_is_told(uow, post, sent) -> None:
    number, ani, budi = waiting(uow, TULANG_BAWANG, NOW)
    made = propose(uow, budi, number)
    step(uow, check_answer_appointment, ani, number, made, accept=True, body="", now=NOW, post=post)
    with uow:
        view = consultation_view(uow, ani, number)
    assert view.appointments[0].status is AppointmentStatus.ACCEPTED
    assert view.events[-1].action is ConsultationAction.APPOINTMENT_ACCEPTED
    assert [m["To"] for m in sent.messages] == [budi.email]
    with uow, pytest.raises(InvalidInput):
        check_answer_appointment(uow, ani, number, made, accept=False, body="Lain waktu", now=NOW)


def test_asking_for_another_time_needs_a_message_and_a_new_proposal_replaces_the_open_one(uow) -> None:
    number, ani, budi = waiting(uow, TULANG_BAWANG, NOW)
    first = propose(uow, budi, number)
    with uow, pytest.raises(InvalidField):
        check_answer_appointment(uow, ani, number, first, accept=False, body=" ", now=NOW)
    step(uow, check_answer_appointment, ani, number, first, accept=False, body="Bisa Jumat pagi?", now=NOW)
    second = propose(
        uow,
        budi,
        number,
        AppointmentDetails(kind="in_person", day="2026-05-15", time="09:00", place="Ruang PST"),
    )
    third = propose(
        uow,
        budi,
        number,
        AppointmentDetails(kind="in_person", day="2026-05-18", time="09:00", place="Ruang PST"),
    )
    with uow:
        view = consultation_view(uow, ani, number)
    assert [(a.id, a.status) for a in view.appointments] == [
        (first, AppointmentStatus.ANOTHER_TIME),
        (second, AppointmentStatus.REPLACED),
        (third, AppointmentStatus.PROPOSED),
    ]
    assert view.messages[-1].body == "Bisa Jumat pagi?"
    with uow, pytest.raises(NotFound):
        check_answer_appointment(uow, ani, number, 999999, accept=True, body="", now=NOW)


def test_every_problem_with_the_appointment_form_is_named_at_once(uow) -> None:
    number, _, budi = waiting(uow, TULANG_BAWANG, NOW)
    bad = AppointmentDetails(kind="phone", day="kemarin", time="", minutes="5", place="", note="x" * 1001)
    with uow, pytest.raises(InvalidFields) as caught:
        check_propose_appointment(uow, budi, number, bad, rules_of(TULANG_BAWANG), NOW)
    assert [p.field for p in caught.value.problems] == ["kind", "day", "minutes", "place", "note"]
    for form, field in [
        (AppointmentDetails(kind="video", day="2026-05-13", time="10:00", place="zoom kami"), "place"),
        (AppointmentDetails(kind="in_person", day="2026-05-11", time="10:00", place="Ruang PST"), "day"),
    ]:
        with uow, pytest.raises(InvalidField) as one:
            check_propose_appointment(uow, budi, number, form, rules_of(TULANG_BAWANG), NOW)
        assert one.value.field == field


def test_a_consultation_with_an_appointment_ahead_is_not_closed_for_silence(uow) -> None:
    number, ani, budi = waiting(uow, TULANG_BAWANG, NOW)
    made = propose(
        uow, budi, number, AppointmentDetails(kind="in_person", day="2026-05-25", time="09:00", place="PST")
    )
    step(uow, check_answer_appointment, ani, number, made, accept=True, body="", now=NOW)
    for days in (5, 7, 12):
        done = step(uow, close_silent, rules_of(TULANG_BAWANG), NOW + dt.timedelta(days=days))
        assert (done.reminded, done.closed) == ([], [])
    after = dt.datetime(2026, 5, 25, 10, 0, tzinfo=WIB)  # the meeting ended: the 7 days count from there
    assert step(uow, close_silent, rules_of(TULANG_BAWANG), after + dt.timedelta(days=5)).reminded == [number]
    assert step(uow, close_silent, rules_of(TULANG_BAWANG), after + dt.timedelta(days=7)).closed == [number]

"""A silent user's consultation is reminded, then closed on its office's day; one the user answered is not."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from library.consultation.consultations import check_open_consultation, check_user_reply
from library.consultation.read_models import consultation_view
from library.consultation.reopen import check_reopen
from library.consultation.rules import ConsultationPost, ConsultationRules
from library.consultation.silence import (
    SilenceRule,
    _close,
    _remind,
    _waiting_on_user,
    close_silent,
    silence_rule,
    silent_close_at,
)
from library.consultation.staff import check_close, check_mark_clear, check_staff_reply
from library.errors import InvalidInput, NotFound
from library.models import ConsultationAction, ConsultationStatus, Office, Role, SurveyInvitation
from library.uow import UnitOfWork
from library.working_days import Calendar
from tests.integration.library.consultation.test_consultations import GOOD, person, step
from tests.integration.library.frontoffice_helpers import load_offices

WIB = dt.timezone(dt.timedelta(hours=7))
METRO, TULANG_BAWANG, SUMSEL, LUBUKLINGGAU = "1872", "1805", "1600", "1674"
ASKED, ANSWERED = ConsultationAction.ASKED, ConsultationAction.ANSWERED
MINUTE = dt.timedelta(minutes=1)
AFTER = {ASKED: ConsultationStatus.CLARIFICATION, ANSWERED: ConsultationStatus.ANSWERED}


@pytest.fixture(autouse=True)
def offices(uow: UnitOfWork) -> None:
    load_offices(uow)


def rules_of(office: str, reopen_days: int = 14) -> ConsultationRules:
    return ConsultationRules(
        office_code=office, calendar=Calendar.of("Asia/Jakarta"), reopen_days=reopen_days
    )


def waiting(uow: UnitOfWork, office: str, staff_at: dt.datetime, action: ConsultationAction = ANSWERED):
    """Open a consultation at the office; the consultant asks for clarification or answers at staff_at."""
    ani = person(uow, f"ani{office}{staff_at:%m%d}@example.id")
    budi = person(uow, f"budi{office}{staff_at:%m%d}@example.id", roles=(Role.CONSULTANT,), name="Budi")
    rules = rules_of(office)
    before = staff_at - dt.timedelta(hours=1)
    number = step(uow, check_open_consultation, ani, GOOD, rules, before)
    if action is ANSWERED:
        step(uow, check_mark_clear, budi, number, rules, before)
    step(uow, check_staff_reply, budi, number, "Silakan lihat tabel 3.", staff_at, action=action)
    return number, ani, budi


def run(uow: UnitOfWork, office: str, now: dt.datetime, post: ConsultationPost | None = None):
    return step(uow, close_silent, rules_of(office), now, post)


def status_of(uow: UnitOfWork, actor, number: str) -> ConsultationStatus:
    with uow:
        return consultation_view(uow, actor, number).summary.status


# Each office's rule, across a holiday and a cuti bersama (the holiday calendar of 2026):
# - Ascension Day Thu 14 May and its cuti bersama Fri 15 May;
# - Nyepi's cuti bersama Wed 18 Mar, Nyepi Thu 19 Mar, Idul Fitri's cuti bersama Fri 20,
#   Mon 23 and Tue 24 Mar;
# - Christmas' cuti bersama Thu 24 Dec and Christmas Fri 25 Dec.
# Calendar days count them all; working days skip them.
RULE_CASES = [
    pytest.param(
        TULANG_BAWANG,
        ANSWERED,
        dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB),  # Tuesday
        dt.datetime(2026, 5, 17, 10, 0, tzinfo=WIB),  # 2 days before the close
        dt.datetime(2026, 5, 19, 10, 0, tzinfo=WIB),  # 7 days, holidays counted
        id="tulang-bawang-7-days-over-ascension",
    ),
    pytest.param(
        LUBUKLINGGAU,
        ASKED,
        dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB),
        dt.datetime(2026, 3, 22, 10, 0, tzinfo=WIB),
        dt.datetime(2026, 3, 24, 10, 0, tzinfo=WIB),  # itself a cuti bersama day: the job still runs
        id="lubuklinggau-7-days-over-nyepi-and-lebaran",
    ),
    pytest.param(
        SUMSEL,
        ANSWERED,
        dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB),
        dt.datetime(2026, 5, 18, 10, 0, tzinfo=WIB),  # Wed 13 and Mon 18 are working days 1 and 2
        dt.datetime(2026, 5, 19, 10, 0, tzinfo=WIB),  # Thu 14 (holiday), Fri 15 (cuti bersama) skipped
        id="sumatera-selatan-3-working-days-over-ascension",
    ),
    pytest.param(
        SUMSEL,
        ASKED,
        dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB),
        dt.datetime(2026, 3, 26, 10, 0, tzinfo=WIB),  # 18 Mar to 24 Mar are closed; Wed 25 is day 1
        dt.datetime(2026, 3, 27, 10, 0, tzinfo=WIB),
        id="sumatera-selatan-3-working-days-over-nyepi-and-lebaran",
    ),
    pytest.param(
        METRO,
        ANSWERED,
        dt.datetime(2026, 12, 22, 10, 0, tzinfo=WIB),
        dt.datetime(2026, 12, 27, 10, 0, tzinfo=WIB),
        dt.datetime(2026, 12, 29, 10, 0, tzinfo=WIB),  # no rule in its standard: 7 days
        id="kota-metro-default-7-days-over-christmas",
    ),
]


@pytest.mark.parametrize(("office", "action", "staff_at", "remind_at", "close_at"), RULE_CASES)
def test_a_silent_consultation_is_reminded_then_closed_on_the_offices_day(
    uow, post, sent, office, action, staff_at, remind_at, close_at
) -> None:
    number, ani, _ = waiting(uow, office, staff_at, action)
    sent.messages.clear()
    assert run(uow, office, remind_at - MINUTE, post).reminded == []
    assert run(uow, office, remind_at, post).reminded == [number]
    assert run(uow, office, close_at - MINUTE, post).closed == []
    assert status_of(uow, ani, number) is AFTER[action]
    assert run(uow, office, close_at, post).closed == [number]
    again = run(uow, office, close_at + dt.timedelta(days=3), post)
    assert (again.reminded, again.closed) == ([], [])
    with uow:
        view = consultation_view(uow, ani, number)
        invited = uow.session.scalar(
            select(SurveyInvitation.id).where(SurveyInvitation.event_key == f"consultation:{number}")
        )
    assert view.summary.status is ConsultationStatus.CLOSED
    assert view.closed_at == close_at
    assert [(e.action, e.actor_name) for e in view.events[-2:]] == [
        (ConsultationAction.REMINDED, ""),
        (ConsultationAction.CLOSED_SILENT, ""),
    ]
    assert invited is not None
    reminder, closing = (m.get_content() for m in sent.messages)
    assert [m["To"] for m in sent.messages] == [ani.email] * 2
    assert "menunggu balasan Anda" in reminder and f"https://pst.example.id/konsultasi/{number}" in reminder
    assert "ditutup otomatis" in closing and "Buka kembali" in closing and "/survei/" in closing


@pytest.mark.parametrize(("office", "action", "staff_at", "remind_at", "close_at"), RULE_CASES)
def test_the_day_a_silent_consultation_closes_is_known_before_and_after_the_reminder(
    uow, office, action, staff_at, remind_at, close_at
) -> None:
    number, ani, _ = waiting(uow, office, staff_at, action)
    assert step(uow, silent_close_at, rules_of(office), number) == close_at
    assert run(uow, office, remind_at).reminded == [number]
    assert step(uow, silent_close_at, rules_of(office), number) == close_at
    step(uow, check_user_reply, ani, number, "Baik, saya cek dulu tabelnya.", close_at - MINUTE)
    assert step(uow, silent_close_at, rules_of(office), number) is None  # now it waits on the consultant


def test_a_late_reminder_moves_the_day_shown_to_a_day_after_it(uow) -> None:
    staff_at = dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB)
    number, _, _ = waiting(uow, TULANG_BAWANG, staff_at)
    late = staff_at + dt.timedelta(days=20)
    run(uow, TULANG_BAWANG, late)
    assert step(uow, silent_close_at, rules_of(TULANG_BAWANG), number) == late + dt.timedelta(days=1)
    run(uow, TULANG_BAWANG, late + dt.timedelta(days=1))
    assert step(uow, silent_close_at, rules_of(TULANG_BAWANG), number) is None  # closed


def test_the_offices_rules_come_from_their_service_standards(uow) -> None:
    with uow:
        ids = {code: id_ for code, id_ in uow.session.execute(select(Office.code, Office.id))}
        found = {code: silence_rule(uow, ids[code]) for code in (METRO, TULANG_BAWANG, SUMSEL, LUBUKLINGGAU)}
    assert found == {
        METRO: SilenceRule(7, working_days=False),
        TULANG_BAWANG: SilenceRule(7, working_days=False),
        SUMSEL: SilenceRule(3, working_days=True),
        LUBUKLINGGAU: SilenceRule(7, working_days=False),
    }


@pytest.mark.parametrize("office", [TULANG_BAWANG, SUMSEL])
def test_a_consultation_the_user_answered_is_never_closed(uow, office) -> None:
    staff_at = dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB)
    number, ani, _ = waiting(uow, office, staff_at)
    step(uow, check_user_reply, ani, number, "Terima kasih, satu pertanyaan lagi.", staff_at + MINUTE)
    for days in (1, 3, 7, 10, 30, 90):
        done = run(uow, office, staff_at + dt.timedelta(days=days))
        assert (done.reminded, done.closed) == ([], [])
    assert status_of(uow, ani, number) is ConsultationStatus.ANSWERED


def test_a_user_who_answers_the_reminder_keeps_the_consultation_open(uow) -> None:
    staff_at = dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB)
    number, ani, _ = waiting(uow, TULANG_BAWANG, staff_at)
    assert run(uow, TULANG_BAWANG, staff_at + dt.timedelta(days=5)).reminded == [number]
    step(
        uow,
        check_user_reply,
        ani,
        number,
        "Maaf terlambat, masih perlu data desa.",
        staff_at + dt.timedelta(days=6),
    )
    assert run(uow, TULANG_BAWANG, staff_at + dt.timedelta(days=8)).closed == []
    assert status_of(uow, ani, number) is ConsultationStatus.ANSWERED


def test_a_new_message_from_the_consultant_starts_a_new_silence_with_its_own_reminder(uow) -> None:
    staff_at = dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB)
    number, ani, budi = waiting(uow, TULANG_BAWANG, staff_at)
    assert run(uow, TULANG_BAWANG, staff_at + dt.timedelta(days=5)).reminded == [number]
    again = staff_at + dt.timedelta(days=6)
    step(uow, check_staff_reply, budi, number, "Tambahan: tabel 4 juga.", again)
    assert run(uow, TULANG_BAWANG, staff_at + dt.timedelta(days=7)).closed == []
    assert run(uow, TULANG_BAWANG, again + dt.timedelta(days=5)).reminded == [number]
    assert run(uow, TULANG_BAWANG, again + dt.timedelta(days=7)).closed == [number]


def test_when_the_job_ran_late_the_close_waits_a_day_after_the_reminder(uow) -> None:
    staff_at = dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB)
    number, ani, _ = waiting(uow, TULANG_BAWANG, staff_at)
    late = staff_at + dt.timedelta(days=20)
    first = run(uow, TULANG_BAWANG, late)
    assert (first.reminded, first.closed) == ([number], [])
    assert run(uow, TULANG_BAWANG, late + dt.timedelta(days=1) - MINUTE).closed == []
    assert run(uow, TULANG_BAWANG, late + dt.timedelta(days=1)).closed == [number]


def test_new_and_clear_consultations_wait_on_the_consultant_and_are_left_alone(uow) -> None:
    staff_at = dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB)
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    rules = rules_of(TULANG_BAWANG)
    fresh = step(uow, check_open_consultation, ani, GOOD, rules, staff_at)
    clear = step(uow, check_open_consultation, ani, GOOD, rules, staff_at)
    step(uow, check_staff_reply, budi, clear, "Sedang kami siapkan.", staff_at)
    step(uow, check_mark_clear, budi, clear, rules, staff_at)
    done = run(uow, TULANG_BAWANG, staff_at + dt.timedelta(days=60))
    assert (done.reminded, done.closed) == ([], [])
    assert status_of(uow, ani, fresh) is ConsultationStatus.NEW


def test_the_user_reopens_within_the_grace_period_and_the_consultant_owes_the_next_step(
    uow, post, sent
) -> None:
    staff_at = dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB)
    number, ani, budi = waiting(uow, TULANG_BAWANG, staff_at)
    run(uow, TULANG_BAWANG, staff_at + dt.timedelta(days=5))
    closed_at = staff_at + dt.timedelta(days=7)
    assert run(uow, TULANG_BAWANG, closed_at).closed == [number]
    sent.messages.clear()
    reopened_at = closed_at + dt.timedelta(days=14) - MINUTE
    rules = rules_of(TULANG_BAWANG)
    step(uow, check_reopen, ani, number, "Ternyata masih perlu data tahun 2019.", rules, reopened_at, post)
    with uow:
        view = consultation_view(uow, ani, number)
    assert view.summary.status is ConsultationStatus.ANSWERED
    assert view.closed_at is None
    assert view.events[-1].action is ConsultationAction.REOPENED
    assert view.messages[-1].body == "Ternyata masih perlu data tahun 2019."
    assert [m["To"] for m in sent.messages] == [budi.email]
    later = run(uow, TULANG_BAWANG, reopened_at + dt.timedelta(days=30))
    assert (later.reminded, later.closed) == ([], [])


def test_after_the_grace_period_the_user_is_told_to_open_a_new_consultation(uow) -> None:
    staff_at = dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB)
    number, ani, budi = waiting(uow, TULANG_BAWANG, staff_at)
    step(uow, check_close, budi, number, staff_at)
    with uow, pytest.raises(InvalidInput) as caught:
        check_reopen(
            uow,
            ani,
            number,
            "Masih ada pertanyaan.",
            rules_of(TULANG_BAWANG),
            staff_at + dt.timedelta(days=14),
        )
    assert "open a new consultation" in caught.value.message
    with uow, pytest.raises(InvalidInput):
        check_reopen(
            uow, ani, number, "Masih ada.", rules_of(TULANG_BAWANG, reopen_days=0), staff_at + MINUTE
        )


def test_only_the_person_who_asked_reopens_and_only_a_closed_consultation(uow) -> None:
    staff_at = dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB)
    number, ani, budi = waiting(uow, TULANG_BAWANG, staff_at)
    rules = rules_of(TULANG_BAWANG)
    with uow, pytest.raises(InvalidInput):
        check_reopen(uow, ani, number, "Masih ada pertanyaan.", rules, staff_at + MINUTE)
    step(uow, check_close, budi, number, staff_at + MINUTE)
    eve = person(uow, "eve@example.id")
    with uow, pytest.raises(NotFound):
        check_reopen(uow, eve, number, "Buka!", rules, staff_at + 2 * MINUTE)
    with uow, pytest.raises(InvalidInput):  # an empty message
        check_reopen(uow, ani, number, "   ", rules, staff_at + 2 * MINUTE)
    assert status_of(uow, ani, number) is ConsultationStatus.CLOSED


def test_a_worker_acting_on_what_it_read_before_another_ran_reminds_and_closes_nothing(
    uow, post, sent
) -> None:
    staff_at = dt.datetime(2026, 5, 12, 10, 0, tzinfo=WIB)
    number, ani, _ = waiting(uow, TULANG_BAWANG, staff_at)
    sent.messages.clear()
    rules = rules_of(TULANG_BAWANG)
    remind_at, close_at = staff_at + dt.timedelta(days=5), staff_at + dt.timedelta(days=7)
    with uow:
        (stale,) = _waiting_on_user(uow, rules)  # the first worker reads
    assert run(uow, TULANG_BAWANG, remind_at, post).reminded == [number]  # the second reminds meanwhile
    with uow:
        assert _remind(uow, stale, remind_at, post) is None
        uow.commit()
    with uow:
        (stale,) = _waiting_on_user(uow, rules)
    assert run(uow, TULANG_BAWANG, close_at, post).closed == [number]
    with uow:
        assert _close(uow, stale, rules, close_at, post) is None
        uow.commit()
    with uow:
        view = consultation_view(uow, ani, number)
    assert [e.action for e in view.events].count(ConsultationAction.CLOSED_SILENT) == 1
    assert [e.action for e in view.events].count(ConsultationAction.REMINDED) == 1
    assert len(sent.messages) == 2

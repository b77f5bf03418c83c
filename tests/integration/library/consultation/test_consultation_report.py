"""The report's consultation section: channels, topics, consultants, times, the target, closures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from library.models import (
    Consultation,
    ConsultationEvent,
    ConsultationMessage,
    Office,
    Role,
    User,
    WalkInConsultation,
)
from library.permissions import SYSTEM
from library.reports.periods import PeriodKind, period_of
from library.reports.plain import plain_table
from library.reports.report import quality_report
from library.reports.scope import ReportRules
from library.uow import UnitOfWork
from library.working_days import Calendar
from tests.integration.library.quality.test_quality_report import NOTHING_ASIDE
from tests.integration.library.queue_helpers import arrive, set_up

NOVEMBER = period_of(PeriodKind.MONTH, dt.date(2026, 11, 1))
NOW = dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)
RULES = ReportRules(Calendar.of("Asia/Jakarta"), 3)
MONDAY = dt.datetime(2026, 11, 9, 2, 0, tzinfo=dt.UTC)  # 09:00 WIB


def hours(n: float) -> dt.timedelta:
    return dt.timedelta(hours=n)


def consultant(uow: UnitOfWork, name: str) -> User:
    user = User(email=f"{name.lower()}@bps.go.id", name=name)
    user.set_roles(frozenset({Role.CONSULTANT}))
    uow.session.add(user)
    uow.session.flush()
    return user


def online(uow: UnitOfWork, n: int, topic: str, who: User | None, opened: dt.datetime, **done: object) -> int:
    """Store an online consultation of Kota Metro asked by a reader; return its id."""
    office_id = uow.session.scalars(select(Office.id).where(Office.code == "1872")).one()
    reader = uow.session.scalars(select(User.id).where(User.email == "reader@bps.go.id")).one()
    row = Consultation(
        number=f"KS-{n}",
        user_id=reader,
        office_id=office_id,
        topic=topic,
        question="?",
        data_subject="s",
        data_region="r",
        data_period="p",
        status=str(done.pop("status", "new")),
        consultant_id=who.id if who else None,
        opened_at=opened,
        **done,
    )
    uow.session.add(row)
    uow.session.flush()
    return row.id


def test_the_section_counts_channels_topics_consultants_times_and_closures(uow: UnitOfWork) -> None:
    with uow:
        set_up(uow)
        ani, budi = consultant(uow, "Ani"), consultant(uow, "Budi")
        one_answered_in_time_and_one_late(uow, ani, budi)
        one_not_yet_due_and_one_closed_silently(uow, ani)
        two_walk_ins_one_in_december(uow, budi)
        uow.session.flush()
        report = quality_report(uow, SYSTEM, "1872", NOVEMBER, now=NOW, rules=RULES)
    table = {t.key: plain_table(t) for t in report.section("consultation").tables}
    assert table["consultation_channels"] == [
        {"consultation_channel": "web", "consultations": 3},
        {"consultation_channel": "email", "consultations": 0},
        {"consultation_channel": "whatsapp", "consultations": 0},
        {"consultation_channel": "phone", "consultations": 0},
        {"consultation_channel": "social", "consultations": 0},
        {"consultation_channel": "walk_in", "consultations": 1},
    ]
    assert table["consultation_times"] == [
        {
            "consultations": 3,
            "clarified": 2,
            "median_hours_to_clarification": 2.0,
            "answered": 2,
            "median_hours_to_answer": 52.0,
            "measured": 2,
            "within_target": 1,
            "within_target_percent": 50.0,
            "closed_by_consultant": 1,
            "closed_by_user": 1,
            "closed_automatically": 1,
        }
    ]
    assert table["consultation_topics"] == [
        {"rank": 1, "topic": "Inflasi", "online": 2, "walk_in": 0, "consultations": 2},  # a subject
        {"rank": 2, "topic": "pdrb", "online": 1, "walk_in": 1, "consultations": 2},
    ]
    assert table["consultation_consultants"] == [
        {"consultant": "Budi", "online": 1, "walk_in": 1, "consultations": 2},
        {"consultant": "Ani", "online": 1, "walk_in": 0, "consultations": 1},
    ]
    assert [row["walk_ins"] for row in table["consultation_referrals"]] == [0, 1, 0, 0]
    assert table["consultation_ikm"] == [
        {"service": "consultation", "responses": 0, **NOTHING_ASIDE, "ikm": None, "grade": None}
    ]


def one_answered_in_time_and_one_late(uow: UnitOfWork, ani: User, budi: User) -> None:
    """Ani's, answered in time after a first message an hour in, closed in November; Budi's, late."""
    due = RULES.calendar.add_working_days(MONDAY + hours(2), 3)
    first = online(
        uow,
        1,
        "Inflasi",
        ani,
        MONDAY,
        status="closed",
        clear_at=MONDAY + hours(2),
        due_at=due,
        answered_at=MONDAY + hours(5),
        closed_at=MONDAY + hours(30),
    )
    uow.session.add(ConsultationMessage(consultation_id=first, author_id=ani.id, body="?", at=MONDAY))
    uow.session.add(
        ConsultationMessage(
            consultation_id=first, author_id=ani.id, from_staff=True, body="a", at=MONDAY + hours(1)
        )
    )
    uow.session.add(
        ConsultationEvent(consultation_id=first, action="closed", status="closed", at=MONDAY + hours(30))
    )
    # Answered late, then closed by its user (the answer helped); its first staff message 3 hours in.
    late = online(
        uow,
        2,
        " INFLASI ",
        budi,
        MONDAY,
        status="closed",
        clear_at=MONDAY,
        due_at=MONDAY + hours(24),
        answered_at=MONDAY + hours(99),
        closed_at=MONDAY + hours(100),
    )
    uow.session.add(
        ConsultationEvent(
            consultation_id=late, action="closed_by_user", status="closed", at=MONDAY + hours(100)
        )
    )
    uow.session.add(
        ConsultationMessage(
            consultation_id=late, author_id=budi.id, from_staff=True, body="a", at=MONDAY + hours(3)
        )
    )


def one_not_yet_due_and_one_closed_silently(uow: UnitOfWork, ani: User) -> None:
    """One clear, not answered, not due on 2 December (not measured); one from October, closed silently."""
    online(uow, 3, "PDRB", None, MONDAY, status="clear", clear_at=NOW - hours(1), due_at=NOW + hours(48))
    silent = online(uow, 4, "PDRB", ani, MONDAY - dt.timedelta(days=20), status="closed")
    uow.session.add(
        ConsultationEvent(consultation_id=silent, action="closed_silent", status="closed", at=MONDAY)
    )


def two_walk_ins_one_in_december(uow: UnitOfWork, budi: User) -> None:
    """Two walk-ins recorded by Budi, one in December (left out)."""
    for day, topic, referral in ((MONDAY, "pdrb", "library"), (NOW, "PDRB", "softcopy")):
        (ticket,) = arrive(uow, "Tamu", 0, ["consultation"], when=day)
        uow.session.add(
            WalkInConsultation(
                ticket_id=ticket.id,
                topic=topic,
                given="",
                referral=referral,
                consultant_id=budi.id,
                recorded_at=day,
            )
        )

"""Every service event's answer counts; a proven person counts once a service a day; doubts are flagged.

The attack (issue 56): two verified accounts gave ten answers in a minute through their
delivered requests and the month's IKM fell to 25.00. A person the office proved (a verified
address, an ID card seen at the desk) moves the index once a service a day: their later
answers are set aside by rule. A typed phone, a network address or a browser is no person:
ten visitors rating over the office's Wi-Fi all count, and a browser's third answer of a day
is flagged for the office head, who sets it aside or restores it with a reason.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from library.models import Office, SurveyChannel, SurveyResponse, Visit
from library.permissions import SYSTEM
from library.quality import respondents
from library.quality.survey import invite, submit_survey
from library.reports.periods import PeriodKind, period_of
from library.reports.plain import plain_table
from library.reports.report import quality_report
from library.reports.scope import ReportRules
from library.uow import UnitOfWork
from library.working_days import Calendar
from tests.integration.library.frontoffice_helpers import METRO, load_offices

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB, Monday
POOR = {f"U{n}": "1" for n in range(1, 10)}
ANI = respondents.digest("email", "ani@example.id")


@pytest.fixture
def office_id(uow: UnitOfWork) -> int:
    load_offices(uow)
    with uow:
        found = uow.session.scalar(select(Office.id).where(Office.code == METRO))
    assert found is not None
    return found


def answer(
    uow: UnitOfWork,
    office_id: int,
    event: str,
    respondent: str,
    *,
    service: str = "library",
    channel: SurveyChannel = SurveyChannel.SOFTCOPY,
    now: dt.datetime = NOW,
    browser: str = "",
    scores: dict[str, str] = POOR,
) -> bool:
    """Invite the person to rate one event and answer at once; return whether the answer counted."""
    with uow:
        token = invite(
            uow,
            office_id=office_id,
            service=service,
            channel=channel,
            event_key=event,
            now=now,
            respondent=respondent,
        )
        counted = submit_survey(uow, token, scores, "", now, browser=browser)
        uow.commit()
    return counted


def library_row(uow: UnitOfWork) -> dict[str, object]:
    """Return the library's row of November's IKM table."""
    with uow:
        report = quality_report(
            uow,
            SYSTEM,
            METRO,
            period_of(PeriodKind.MONTH, dt.date(2026, 11, 1)),
            now=NOW,
            rules=ReportRules(Calendar.of("Asia/Jakarta"), 3),
        )
    return next(row for row in plain_table(report.table("ikm")) if row["service"] == "library")


def test_many_delivered_requests_of_one_person_count_once_a_day(uow: UnitOfWork, office_id: int) -> None:
    counted = [
        answer(uow, office_id, f"request:{n}", ANI, now=NOW + dt.timedelta(seconds=n)) for n in range(5)
    ]
    assert counted == [True, False, False, False, False]
    row = library_row(uow)
    assert (row["responses"], row["set_aside_rule"], row["set_aside_staff"]) == (1, 4, 0)


def test_the_same_address_counts_once_across_the_walk_in_and_the_online_channel(
    uow: UnitOfWork, office_id: int
) -> None:
    assert answer(uow, office_id, "ticket:1", ANI, channel=SurveyChannel.VISIT)
    assert not answer(uow, office_id, "request:1", ANI)
    assert answer(
        uow, office_id, "consultation:1", ANI, service="consultation", channel=SurveyChannel.CONSULTATION
    )


def test_another_person_and_another_day_count_again(uow: UnitOfWork, office_id: int) -> None:
    assert answer(uow, office_id, "request:1", ANI)
    assert answer(uow, office_id, "request:2", respondents.digest("email", "budi@example.id"))
    assert answer(uow, office_id, "request:3", ANI, now=NOW + dt.timedelta(days=1))


def test_visitors_known_by_nothing_all_count_from_one_network_and_a_busy_browser_is_flagged(
    uow: UnitOfWork, office_id: int
) -> None:
    counted = [
        answer(
            uow,
            office_id,
            f"ticket:{n}",
            "",
            channel=SurveyChannel.VISIT,
            browser=f"phone-{n:02d}-of-a-visitor",
        )
        for n in range(10)
    ]  # ten visitors, ten phones, one Wi-Fi: the address is never asked
    tablet = [
        answer(uow, office_id, f"ticket:t{n}", "", channel=SurveyChannel.VISIT, browser="the-survey-tablet")
        for n in range(4)
    ]
    assert counted + tablet == [True] * 14
    with uow:
        doubts = uow.session.scalars(select(SurveyResponse.doubts).order_by(SurveyResponse.id)).all()
    assert doubts == [""] * 12 + ["one_device"] * 2
    row = library_row(uow)
    assert (row["responses"], row["flagged"], row["set_aside_rule"]) == (14, 2, 0)


@pytest.mark.parametrize(
    ("phone", "same"),
    [("0812 3456 7890", "+62 812-3456-7890"), ("081234567890", "62 812 3456 7890")],
)
def test_a_phone_is_one_person_however_it_is_written(phone: str, same: str) -> None:
    assert respondents.phone_digits(phone) == respondents.phone_digits(same)


def test_one_person_moves_an_office_of_thirty_honest_answers_by_less_than_a_grade_step(
    uow: UnitOfWork, office_id: int
) -> None:
    good = {f"U{n}": "4" if n % 2 else "3" for n in range(1, 10)}  # 25 x 3.56 = 88.89: grade A
    for n in range(30):
        with uow:
            token = invite(
                uow,
                office_id=office_id,
                service="library",
                channel=SurveyChannel.SOFTCOPY,
                event_key=f"request:honest-{n}",
                now=NOW,
                respondent=respondents.digest("email", f"orang{n}@example.id"),
            )
            submit_survey(uow, token, good, "", NOW)
            uow.commit()
    for n in range(20):  # one person's twenty delivered requests, every one rated 1
        answer(uow, office_id, f"request:attack-{n}", ANI)
    row = library_row(uow)
    assert (row["responses"], row["set_aside_rule"]) == (31, 19)
    assert row["grade"] == "B" and row["ikm"] is not None and float(str(row["ikm"])) > 86  # one step at most


@pytest.mark.parametrize(
    ("check", "email", "phone", "kind"),
    [
        ("email_code", "ani@example.id", "0812 1111 2222", "email"),  # a proven address first
        ("id_card", "", "0812 1111 2222", "name"),  # the name on the card seen at the desk
        ("declared", "ani@example.id", "0812 1111 2222", ""),  # a typed address or phone proves nothing
        ("declared", "", "", ""),
    ],
)
def test_a_walk_in_is_known_by_what_the_office_checked(check: str, email: str, phone: str, kind: str) -> None:
    visit = Visit(office_id=1, name="Ani Lestari", identity_check=check, email=email, phone=phone)
    value = {"email": email, "name": "1:Ani Lestari"}.get(kind, "")
    assert respondents.of_visit(visit) == (respondents.digest(kind, value) if kind else "")

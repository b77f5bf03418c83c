"""The office head sets a doubtful answer aside, or restores one, with its reason kept; the IKM follows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from library.errors import InvalidField, NotAllowed
from library.models import (
    Office,
    ReviewAction,
    SurveyChannel,
    SurveyInvitation,
    SurveyResponse,
    User,
    UserRole,
)
from library.permissions import SYSTEM
from library.quality import respondents
from library.quality.review import AlreadyDecided, answers_to_review, check_restore, check_set_aside
from library.quality.survey import invite, submit_survey
from library.reports.periods import PeriodKind, period_of
from library.reports.plain import plain_table
from library.reports.report import quality_report
from library.reports.scope import ReportRules
from library.uow import UnitOfWork
from library.working_days import Calendar
from tests.integration.library.frontoffice_helpers import METRO, load_offices
from tests.integration.library.quality.test_survey_one_answer_per_person import answer

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB, Monday
GOOD = {f"U{n}": "4" for n in range(1, 10)}
POOR = {f"U{n}": "1" for n in range(1, 10)}
NOVEMBER = period_of(PeriodKind.MONTH, dt.date(2026, 11, 1))


@pytest.fixture
def head(uow: UnitOfWork) -> User:
    load_offices(uow)
    with uow:
        user = User(email="kepala@bps.go.id", name="Kepala BPS", email_verified=True)
        user.role_rows = [UserRole(role="office_head")]
        uow.session.add(user)
        uow.commit()
        uow.session.refresh(user)
        uow.session.expunge(user)
    return user


def rate(
    uow: UnitOfWork, event: str, scores: dict[str, str], *, browser: str = "", respondent: str = ""
) -> None:
    """Invite a walk-in service of Kota Metro's library to rate, and answer it."""
    with uow:
        office_id = uow.session.scalar(select(Office.id).where(Office.code == METRO))
    assert office_id is not None
    answer(uow, office_id, event, respondent, channel=SurveyChannel.VISIT, browser=browser, scores=scores)


def library_row(uow: UnitOfWork) -> dict[str, object]:
    with uow:
        report = quality_report(
            uow, SYSTEM, METRO, NOVEMBER, now=NOW, rules=ReportRules(Calendar.of("Asia/Jakarta"), 3)
        )
    return next(row for row in plain_table(report.table("ikm")) if row["service"] == "library")


def test_a_flagged_answer_set_aside_leaves_the_index_and_restored_comes_back(
    uow: UnitOfWork, head: User
) -> None:
    for n in range(5):
        rate(uow, f"ticket:{n}", GOOD, browser=f"visitor-phone-{n}")
    for n in range(3):  # one browser's three answers: the third is flagged
        rate(uow, f"ticket:s{n}", POOR, browser="one-stuffing-browser")
    with uow:
        [flagged] = answers_to_review(uow, head, METRO, NOVEMBER.start, NOVEMBER.end)
    assert flagged.doubts == ("one_device",) and flagged.counted
    before = library_row(uow)
    assert (before["responses"], before["flagged"], before["set_aside_staff"]) == (8, 1, 0)

    with uow:
        check_set_aside(uow, head, METRO, flagged.id, "Tiga jawaban dari satu ponsel dalam semenit", NOW)
        uow.commit()
    aside = library_row(uow)
    assert (aside["responses"], aside["flagged"], aside["set_aside_staff"]) == (7, 0, 1)
    assert float(str(aside["ikm"])) > float(str(before["ikm"]))

    with uow:
        restored = check_restore(
            uow, head, METRO, flagged.id, "Pengunjung keluarga, dikonfirmasi petugas", NOW
        )
        uow.commit()
    assert [(d.action, d.by) for d in restored.history] == [
        (ReviewAction.SET_ASIDE, "Kepala BPS"),
        (ReviewAction.RESTORE, "Kepala BPS"),
    ]
    assert library_row(uow)["ikm"] == before["ikm"]


def test_a_proven_persons_second_answer_set_aside_by_rule_can_be_restored(
    uow: UnitOfWork, head: User
) -> None:
    ani = respondents.digest("email", "ani@example.id")
    rate(uow, "request:1", GOOD, respondent=ani)
    rate(uow, "request:2", GOOD, respondent=ani)
    with uow:
        [aside] = answers_to_review(uow, head, METRO, NOVEMBER.start, NOVEMBER.end)
        assert aside.aside_by == "rule"
        with pytest.raises(AlreadyDecided):
            check_set_aside(uow, head, METRO, aside.id, "lagi", NOW)
        check_restore(uow, head, METRO, aside.id, "Dua permintaan berbeda", NOW)
        uow.commit()
    row = library_row(uow)
    assert (row["responses"], row["set_aside_rule"], row["set_aside_staff"]) == (2, 0, 0)


def test_only_the_office_head_decides_and_always_with_a_reason(uow: UnitOfWork, head: User) -> None:
    rate(uow, "ticket:1", GOOD)
    with uow:
        response_id = uow.session.scalar(select(SurveyResponse.id))
        with pytest.raises(InvalidField):
            check_set_aside(uow, head, METRO, response_id, "   ", NOW)
        reader = User(email="pembaca@example.id", name="Pembaca", email_verified=True)
        uow.session.add(reader)
        uow.session.flush()
        with pytest.raises(NotAllowed):
            check_set_aside(uow, reader, METRO, response_id, "Saya tidak suka", NOW)
        with pytest.raises(NotAllowed):
            answers_to_review(uow, reader, METRO, NOVEMBER.start, NOVEMBER.end)


def test_the_population_is_the_services_given_and_the_sample_is_judged_against_it(
    uow: UnitOfWork, head: User
) -> None:
    with uow:
        office_id = uow.session.scalar(select(Office.id).where(Office.code == METRO))
        assert office_id is not None
        for n in range(12):  # twelve services given, invited to rate
            invite(
                uow,
                office_id=office_id,
                service="library",
                channel=SurveyChannel.VISIT,
                event_key=f"ticket:{n}",
                now=NOW,
            )
        uow.commit()
    with uow:
        tokens = [t for (t,) in uow.session.execute(select(SurveyInvitation.token).limit(5))]
        for token in tokens:
            submit_survey(uow, token, GOOD, "", NOW)
        uow.commit()
    row = library_row(uow)
    assert (row["population"], row["minimum_sample"], row["responses"], row["sample"]) == (
        12,
        12,
        5,
        "too_small",
    )

"""The service quality report: who may read it, an office without figures, an element nobody answered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from library.errors import NotAllowed, NotFound
from library.models import (
    Delivery,
    Download,
    Office,
    Publication,
    Role,
    SoftcopyRequest,
    SurveyAnswer,
    SurveyResponse,
    User,
)
from library.permissions import SYSTEM
from library.reports.periods import PeriodKind, period_of
from library.reports.plain import plain_table
from library.reports.report import quality_report
from library.reports.scope import ReportRules
from library.reports.tables import Column, Kind, Section, Table
from library.uow import UnitOfWork
from library.working_days import Calendar
from tests.integration.library import frontoffice_helpers as fo

NOVEMBER = period_of(PeriodKind.MONTH, dt.date(2026, 11, 1))
NOW = dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)
RULES = ReportRules(Calendar.of("Asia/Jakarta"), 3)

# Answers stored as they are, with no invitation: no population, nothing flagged or set aside.
NOTHING_ASIDE = {
    "flagged": 0,
    "set_aside_rule": 0,
    "set_aside_staff": 0,
    "population": 0,
    "minimum_sample": 0,
    "sample": None,
}


def person(uow: UnitOfWork, email: str, role: Role) -> User:
    """Store a person holding one role."""
    user = User(email=email, name=email.split("@")[0])
    user.set_roles(frozenset({role}))
    uow.session.add(user)
    uow.session.flush()
    return user


@pytest.mark.parametrize("role", [Role.OFFICE_HEAD, Role.ADMIN])
def test_the_office_head_and_administrators_read_the_report(uow: UnitOfWork, role: Role) -> None:
    fo.load_offices(uow)
    with uow:
        report = quality_report(uow, person(uow, "a@bps.go.id", role), "1872", NOVEMBER, now=NOW, rules=RULES)
    assert (report.office_name, report.working_days, report.period.days) == ("BPS Kota Metro", 21, 30)
    assert [s.key for s in report.sections] == [
        "walk_in",
        "visitors",
        "appointments",
        "online",
        "copies",
        "search",
        "usage",
        "satisfaction",
        "consultation",
        "complaints",
    ]


@pytest.mark.parametrize("role", [Role.LIBRARIAN, Role.FRONT_OFFICE, Role.READER])
def test_other_staff_and_readers_may_not(uow: UnitOfWork, role: Role) -> None:
    fo.load_offices(uow)
    with uow, pytest.raises(NotAllowed):
        quality_report(uow, person(uow, "b@bps.go.id", role), "1872", NOVEMBER, now=NOW, rules=RULES)


def test_an_office_that_does_not_exist_is_named(uow: UnitOfWork) -> None:
    fo.load_offices(uow)
    with uow, pytest.raises(NotFound, match="9999"):
        quality_report(uow, SYSTEM, "9999", NOVEMBER, now=NOW, rules=RULES)


def test_a_month_without_service_has_counts_of_zero_and_nothing_to_measure(uow: UnitOfWork) -> None:
    fo.load_offices(uow)
    with uow:
        report = quality_report(uow, SYSTEM, "1872", NOVEMBER, now=NOW, rules=RULES)
    assert plain_table(report.table("walk_in"))[0] == {
        "service": "library",
        "target_minutes": 5,
        "visits": 0,
        "served": 0,
        "within_target": 0,
        "within_target_percent": None,
        "not_served": 0,
        "transferred": 0,
        "median_wait_minutes": None,
        "p90_wait_minutes": None,
        "breaches": 0,
    }
    assert plain_table(report.table("ikm")) == [
        {"service": s, "responses": 0, **NOTHING_ASIDE, "ikm": None, "grade": None}
        for s in ("all", "library", "consultation")
    ]
    assert report.table("ikm_elements_all").rows == ()


def rated(uow: UnitOfWork, service: str, answers: list[dict[str, int]]) -> None:
    """Store anonymous survey responses for a service, given in November."""
    office_id = uow.session.scalar(select(Office.id).where(Office.code == "1872"))
    for scores in answers:
        uow.session.add(
            SurveyResponse(
                office_id=office_id,
                service=service,
                channel="visit",
                answered_on=dt.date(2026, 11, 20),
                answers=[SurveyAnswer(element=e, score=s) for e, s in scores.items()],
            )
        )
    uow.session.flush()


def test_an_element_nobody_answered_has_no_mean_and_the_index_is_of_the_others(uow: UnitOfWork) -> None:
    fo.load_offices(uow)
    with uow:
        # U3-U9 unanswered (an older form)
        rated(uow, "consultation", [{"U1": 4, "U2": 3}, {"U1": 3, "U2": 3}] * 2 + [{"U1": 4, "U2": 3}])
        report = quality_report(uow, SYSTEM, "1872", NOVEMBER, now=NOW, rules=RULES)
    elements = plain_table(report.table("ikm_elements_consultation"))
    assert elements[:3] == [
        {"element": "U1", "answered": 5, "nrr": 3.6},
        {"element": "U2", "answered": 5, "nrr": 3.0},
        {"element": "U3", "answered": 0, "nrr": None},
    ]
    # 25 x (3.6 + 3.0) / 2 = 82.50: grade B; the unanswered elements neither lower nor raise it.
    assert report.table("ikm").rows[2][8] == Decimal("82.50")
    assert plain_table(report.table("ikm"))[2] == {
        "service": "consultation",
        "responses": 5,
        **NOTHING_ASIDE,
        "ikm": 82.5,
        "grade": "B",
    }


ALL_GOOD = {f"U{n}": 4 for n in range(1, 10)}
ALL_POOR = {f"U{n}": 1 for n in range(1, 10)}


def test_a_service_with_fewer_than_five_answers_shows_their_number_only(uow: UnitOfWork) -> None:
    fo.load_offices(uow)
    with uow:
        rated(uow, "library", [ALL_GOOD] * 6)
        rated(uow, "consultation", [ALL_POOR] * 4)  # four people a consultant may well know
        report = quality_report(uow, SYSTEM, "1872", NOVEMBER, now=NOW, rules=RULES)
    assert plain_table(report.table("ikm"))[1:] == [
        {"service": "library", "responses": 6, **NOTHING_ASIDE, "ikm": 100.0, "grade": "A"},
        {"service": "consultation", "responses": 4, **NOTHING_ASIDE, "ikm": None, "grade": None},
    ]
    hidden = report.table("ikm_elements_consultation")
    assert hidden.rows == () and hidden.empty.startswith("Fewer than 5 answers")
    assert len(report.table("ikm_elements_library").rows) == 9


def test_all_services_are_held_back_when_they_would_give_away_the_few_hidden(uow: UnitOfWork) -> None:
    fo.load_offices(uow)
    with uow:
        rated(uow, "library", [ALL_GOOD] * 5)
        rated(uow, "consultation", [ALL_POOR])  # all minus library would be this one person's answers
        report = quality_report(uow, SYSTEM, "1872", NOVEMBER, now=NOW, rules=RULES)
    assert [(r["service"], r["responses"], r["ikm"]) for r in plain_table(report.table("ikm"))] == [
        ("all", 6, None),
        ("library", 5, 100.0),
        ("consultation", 1, None),
    ]
    assert report.table("ikm_elements_all").rows == ()
    assert report.table("ikm_elements_consultation").rows == ()


def test_a_period_with_a_few_answers_in_all_shows_no_scores_at_all(uow: UnitOfWork) -> None:
    fo.load_offices(uow)
    with uow:
        rated(uow, "library", [ALL_GOOD] * 3)
        report = quality_report(uow, SYSTEM, "1872", NOVEMBER, now=NOW, rules=RULES)
    assert [(r["service"], r["responses"], r["ikm"]) for r in plain_table(report.table("ikm"))] == [
        ("all", 3, None),
        ("library", 3, None),
        ("consultation", 0, None),
    ]
    assert report.table("ikm_elements_consultation").empty == "No survey answers in this period."


def test_another_area_adds_its_section_as_one_more_function(uow: UnitOfWork) -> None:
    def complaints(uow: UnitOfWork, scope: object) -> Section:
        table = Table("complaints", "Complaints", (Column("count", "Count", Kind.COUNT),), ((3,),), "")
        return Section("complaints", "Complaints", "", (table,))

    fo.load_offices(uow)
    with uow:
        report = quality_report(uow, SYSTEM, "1872", NOVEMBER, now=NOW, rules=RULES, sections=(complaints,))
    assert [s.key for s in report.sections] == ["complaints"]
    assert report.table("complaints").rows == ((3,),)


def test_copies_and_downloads_count_on_the_office_day_they_happened(uow: UnitOfWork) -> None:
    fo.load_offices(uow)
    wib = dt.timezone(dt.timedelta(hours=7))
    moments = {
        "31 Oct 23:50 WIB": dt.datetime(2026, 10, 31, 23, 50, tzinfo=wib),  # October: left out
        "1 Nov 00:10 WIB": dt.datetime(2026, 11, 1, 0, 10, tzinfo=wib),  # 31 Oct in UTC: counted
        "30 Nov 23:50 WIB": dt.datetime(2026, 11, 30, 23, 50, tzinfo=wib),
        "1 Dec 00:10 WIB": dt.datetime(2026, 12, 1, 0, 10, tzinfo=wib),  # December: left out
    }
    with uow:
        metro = uow.session.scalar(select(Office.id).where(Office.code == "1872"))
        publication = Publication(
            key="p", title="Kota Metro Dalam Angka 2024", issuing_office_id=metro, access_level="open"
        )
        reader = person(uow, "pembaca@example.id", Role.READER)
        uow.session.add(publication)
        uow.session.flush()
        a_copy_at_each_moment(uow, publication.id, moments)
        a_request_downloaded_on_1_november_and_1_december(uow, reader.id, publication.id, moments)
        report = quality_report(uow, SYSTEM, "1872", NOVEMBER, now=NOW, rules=RULES)
    channels = {
        row["channel"]: (row["copies"], row["pages"])
        for row in plain_table(report.table("copies_by_channel"))
    }
    assert channels == {"online": (1, 2), "terminal": (0, 0), "scan": (1, 3), "staff": (0, 0)}
    assert plain_table(report.table("downloads")) == [{"downloads": 1, "copies_downloaded": 1}]
    assert plain_table(report.table("top_publications")) == [
        {"rank": 1, "publication": "Kota Metro Dalam Angka 2024", "copies": 1, "downloads": 1},
        {"rank": 2, "publication": "Peta Kota Metro 1990", "copies": 1, "downloads": 0},
    ]
    assert plain_table(report.table("online"))[0]["requests"] == 0  # asked in October


def a_copy_at_each_moment(uow: UnitOfWork, publication_id: int, moments: dict[str, dt.datetime]) -> None:
    """Add a ledger row at each moment: scans of a map and online copies of the publication, in turn."""
    for n, (name, at) in enumerate(moments.items()):
        uow.session.add(
            Delivery(
                delivery_id=f"d{n}",
                publication_id=publication_id if n % 2 else None,
                title="Peta Kota Metro 1990" if n % 2 == 0 else "",
                source_sha256="0" * 64,
                output_sha256=f"{n}" * 64,
                recipient_name=name,
                channel="scan" if n % 2 == 0 else "online",
                office_code="1872",
                pages=n + 1,
                delivered_at=at,
            )
        )


def a_request_downloaded_on_1_november_and_1_december(
    uow: UnitOfWork, reader_id: int, publication_id: int, moments: dict[str, dt.datetime]
) -> None:
    """Add a request made in October, ready at once, downloaded just after midnight on 1 Nov and 1 Dec."""
    asked = moments["31 Oct 23:50 WIB"]
    request = SoftcopyRequest(
        number="PS-20261031-00001",
        user_id=reader_id,
        publication_id=publication_id,
        office_code="1872",
        scope="whole",
        purpose="research",
        intended_use="Skripsi",
        terms_accepted_at=asked,
        status="ready",
        submitted_at=asked,
        due_at=asked + dt.timedelta(days=5),
        ready_at=asked + dt.timedelta(minutes=1),
        downloads=2,
    )
    uow.session.add(request)
    uow.session.flush()
    for name in ("1 Nov 00:10 WIB", "1 Dec 00:10 WIB"):
        uow.session.add(Download(request_id=request.id, user_id=reader_id, at=moments[name]))
    uow.session.flush()

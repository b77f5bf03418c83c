"""The SKM survey on SQLite and PostgreSQL: one invitation per event, one anonymous answer per link."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from library.errors import InvalidFields
from library.models import Office, SurveyAnswer, SurveyChannel, SurveyInvitation, SurveyResponse
from library.quality.survey import (
    SurveyAnswered,
    SurveyExpired,
    invitation_for,
    invite,
    open_survey,
    submit_survey,
)
from library.tokens import LinkInvalid
from library.uow import UnitOfWork
from tests.integration.library.frontoffice_helpers import METRO, load_offices

# 23:30 WIB on Monday 23 November 2026: still Monday at the office, Tuesday in no zone yet.
NOW = dt.datetime(2026, 11, 23, 16, 30, tzinfo=dt.UTC)
GOOD = {f"U{n}": str(1 + n % 4) for n in range(1, 10)}


@pytest.fixture
def office_id(uow: UnitOfWork) -> int:
    load_offices(uow)
    with uow:
        found = uow.session.scalar(select(Office.id).where(Office.code == METRO))
    assert found is not None
    return found


def invited(uow: UnitOfWork, office_id: int, event: str = "request:1", now: dt.datetime = NOW) -> str:
    with uow:
        token = invite(
            uow,
            office_id=office_id,
            service="library",
            channel=SurveyChannel.SOFTCOPY,
            event_key=event,
            now=now,
        )
        uow.commit()
    return token


def test_an_event_has_one_invitation_however_often_it_is_asked_for(uow, office_id) -> None:
    first = invited(uow, office_id)
    assert invited(uow, office_id) == first
    assert invited(uow, office_id, "request:2") != first
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 2


def test_an_answer_is_stored_by_element_code_on_the_offices_day_and_names_nobody(uow, office_id) -> None:
    token = invited(uow, office_id)
    with uow:
        submit_survey(uow, token, GOOD, "  Petugas ramah.\x00 ", NOW)
        uow.commit()
    with uow:
        response = uow.session.scalar(select(SurveyResponse))
        assert response is not None
        assert (response.office_id, response.service, response.channel) == (office_id, "library", "softcopy")
        assert response.answered_on == dt.date(2026, 11, 23)  # 23:30 WIB, not the UTC day
        assert response.comment == "Petugas ramah."
        assert {a.element: a.score for a in response.answers} == {k: int(v) for k, v in GOOD.items()}
        columns = set(SurveyResponse.__table__.columns.keys())
        assert columns == {
            "id",
            "office_id",
            "service",
            "channel",
            "answered_on",
            "comment",
            "counted",
            "aside_by",
            "doubts",
        }


def test_a_link_answers_once(uow, office_id) -> None:
    token = invited(uow, office_id)
    with uow:
        submit_survey(uow, token, GOOD, "", NOW)
        uow.commit()
    with uow, pytest.raises(SurveyAnswered):
        open_survey(uow, token, NOW)
    with uow, pytest.raises(SurveyAnswered):
        submit_survey(uow, token, GOOD, "", NOW)
    with uow:
        assert invitation_for(uow, "request:1", NOW) is None


def test_two_answers_sent_at_the_same_moment_store_one(uow, office_id, engine) -> None:
    token = invited(uow, office_id)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def answer() -> None:
        mine = UnitOfWork(uow._session_factory)
        barrier.wait()
        try:
            with mine:
                submit_survey(mine, token, GOOD, "", NOW)
                mine.commit()
            outcomes.append("stored")
        except SurveyAnswered:
            outcomes.append("refused")
        except Exception as exc:  # SQLite may refuse the second writer as busy: also no second answer
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=answer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("stored") == 1
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_every_unanswered_question_is_named_at_once_and_nothing_is_stored(uow, office_id) -> None:
    token = invited(uow, office_id)
    answers = dict(GOOD, U3="", U7="5")
    del answers["U9"]
    with uow, pytest.raises(InvalidFields) as refused:
        submit_survey(uow, token, answers, "", NOW)
    assert [p.field for p in refused.value.problems] == ["U3", "U7", "U9"]
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(SurveyAnswer)) == 0
        assert invitation_for(uow, "request:1", NOW) == token  # still open


def test_an_unknown_or_expired_link_is_refused(uow, office_id) -> None:
    token = invited(uow, office_id)
    with uow, pytest.raises(LinkInvalid):
        open_survey(uow, token[:-1] + ("A" if token[-1] != "A" else "B"), NOW)
    later = NOW + dt.timedelta(days=31)
    with uow, pytest.raises(SurveyExpired):
        submit_survey(uow, token, GOOD, "", later)
    with uow:
        assert invitation_for(uow, "request:1", later) is None

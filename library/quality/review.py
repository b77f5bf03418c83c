"""The office head's review of SKM answers: the doubtful ones listed, each set aside or restored.

An answer is never dropped: an answer the office may doubt (`Doubt`) counts until the office
head sets it aside, and one set aside (by rule or by staff) can be restored. Every decision
keeps who made it, when and why (`SurveyReview`), shown beside the answer; the IKM report
counts what was set aside by rule and by staff apart.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from library.errors import InvalidField, NotFound, PustakaError
from library.i18n import N_
from library.models import Doubt, Office, ReviewAction, ServiceKind, SurveyResponse, SurveyReview
from library.permissions import Actor, is_person, may_read_reports, require
from library.quality.survey import AsideBy
from library.text import clean_text
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
REASON_MAX = 500
ONLY_HEADS_REVIEW = N_("Only the office head sets survey answers aside or restores them.")
DOUBT_LABELS = {
    Doubt.SAME_DECLARED: N_("Another visit that day gave the same name or phone"),
    Doubt.SHORT_SESSION: N_("A terminal session of under a minute"),
    Doubt.ONE_DEVICE: N_("Many answers from one browser that day"),
}
ASIDE_LABELS = {
    AsideBy.RULE: N_("Set aside by rule: the same proven person's second answer that day"),
    AsideBy.STAFF: N_("Set aside by staff"),
}


@dataclass(frozen=True)
class Decision:
    """One review of an answer, as its history shows it."""

    action: ReviewAction
    reason: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class ReviewedAnswer:
    """An answer the office head may review: its day, service, doubts, state, scores and history."""

    id: int
    day: dt.date
    service: str
    channel: str
    doubts: tuple[Doubt, ...]
    aside_by: AsideBy | None  # None while it counts
    mean_score: float
    comment: str
    history: tuple[Decision, ...]

    @property
    def service_kind(self) -> ServiceKind:
        """Return the service rated."""
        return ServiceKind(self.service)

    @property
    def counted(self) -> bool:
        """Tell whether the answer counts in the index."""
        return self.aside_by is None


class AlreadyDecided(PustakaError):
    """The answer is already in the state asked for."""


def answers_to_review(
    uow: UnitOfWork, actor: Actor | None, office_code: str, start: dt.date, end: dt.date
) -> list[ReviewedAnswer]:
    """Return the period's answers flagged or set aside, oldest first (office head)."""
    require(uow, actor, may_read_reports, ONLY_HEADS_REVIEW)
    office_id = _office_id(uow, office_code)
    rows = uow.session.scalars(
        select(SurveyResponse)
        .options(selectinload(SurveyResponse.answers), selectinload(SurveyResponse.reviews))
        .where(
            SurveyResponse.office_id == office_id,
            SurveyResponse.answered_on >= start,
            SurveyResponse.answered_on <= end,
            or_(SurveyResponse.doubts != "", SurveyResponse.counted.is_(False)),
        )
        .order_by(SurveyResponse.answered_on, SurveyResponse.id)
    )
    return [_reviewed(row) for row in rows]


def check_set_aside(
    uow: UnitOfWork, actor: Actor | None, office_code: str, response_id: int, reason: str, now: dt.datetime
) -> ReviewedAnswer:
    """Set a counted answer aside (office head), with the reason kept in its history."""
    return _decide(uow, actor, office_code, response_id, ReviewAction.SET_ASIDE, reason, now)


def check_restore(
    uow: UnitOfWork, actor: Actor | None, office_code: str, response_id: int, reason: str, now: dt.datetime
) -> ReviewedAnswer:
    """Count an answer set aside (by rule or by staff) again (office head), with the reason kept."""
    return _decide(uow, actor, office_code, response_id, ReviewAction.RESTORE, reason, now)


def _decide(
    uow: UnitOfWork,
    actor: Actor | None,
    office_code: str,
    response_id: int,
    action: ReviewAction,
    reason: str,
    now: dt.datetime,
) -> ReviewedAnswer:
    """Record one decision on an answer of the office, and put the answer in the state it names."""
    person = require(uow, actor, may_read_reports, ONLY_HEADS_REVIEW)
    office_id = _office_id(uow, office_code)
    text = clean_text(reason)
    if not text:
        raise InvalidField("reason", N_("Say why: the reason is kept with the answer."))
    if len(text) > REASON_MAX:
        raise InvalidField("reason", N_("Keep the reason under %(limit)s characters."), limit=REASON_MAX)
    row = uow.session.get(SurveyResponse, response_id, with_for_update=True)
    if row is None or row.office_id != office_id:
        raise NotFound(N_("There is no such survey answer."))
    setting_aside = action is ReviewAction.SET_ASIDE
    if row.counted != setting_aside:
        raise AlreadyDecided(
            N_("This answer is already set aside.") if setting_aside else N_("This answer already counts.")
        )
    row.counted = not setting_aside
    row.aside_by = AsideBy.STAFF.value if setting_aside else ""
    row.reviews.append(
        SurveyReview(
            action=action.value,
            reason=text,
            by_id=person.id if is_person(person) else None,
            by_name=person.name if is_person(person) else "system",
            at=now,
        )
    )
    uow.session.flush()
    log.info(
        "SKM answer %s %s by user %s: %s", row.id, action.value, person.id if is_person(person) else "-", text
    )
    return _reviewed(row)


def _office_id(uow: UnitOfWork, office_code: str) -> int:
    found = uow.session.scalar(select(Office.id).where(Office.code == office_code))
    if found is None:
        raise NotFound(N_("There is no office with the code %(code)s."), code=office_code)
    return found


def _reviewed(row: SurveyResponse) -> ReviewedAnswer:
    """Return an answer as the review shows it."""
    scores = [a.score for a in row.answers]
    return ReviewedAnswer(
        id=row.id,
        day=row.answered_on,
        service=row.service,
        channel=row.channel,
        doubts=tuple(Doubt(code) for code in row.doubts.split(",") if code),
        aside_by=AsideBy(row.aside_by or AsideBy.RULE.value) if not row.counted else None,
        mean_score=sum(scores) / len(scores) if scores else 0.0,
        comment=row.comment,
        history=tuple(Decision(ReviewAction(r.action), r.reason, r.by_name, r.at) for r in row.reviews),
    )

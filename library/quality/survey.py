"""Inviting a person to the SKM survey after a service, and taking their one answer.

`invite` gives a service event its one invitation (a random link secret, valid for
`SURVEY_DAYS`); asking again returns the same one. `submit_survey` checks every answer at once,
marks the invitation answered and stores the response in one transaction, so a link answers
once even when it is sent twice at the same moment. The response is anonymous: it keeps the
office, the service, the channel and the office's day, never who or which event.

An invitation is made only for a service the office gave (`service_given`), so every answer
is one service event's, and counts. A proven person's later answers for a service on one
day are set aside by rule (`respondents`); what the office may doubt (`Doubt`: a repeated
declared name or phone, a very short terminal session, many answers from one browser) is
flagged for the office head, who sets an answer aside or restores it (`library.quality.review`).
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from library.clock import office_today
from library.db import changed_rows
from library.errors import InvalidField, InvalidFields, PustakaError
from library.i18n import N_
from library.models import (
    Doubt,
    Office,
    ServiceKind,
    SurveyAnswer,
    SurveyChannel,
    SurveyInvitation,
    SurveyResponse,
    Ticket,
    Visit,
)
from library.quality import respondents
from library.quality.elements import ELEMENTS
from library.quality.tally import doubt_codes, forget_days_gone, note_once
from library.text import clean_text
from library.tokens import LinkInvalid
from library.uow import UnitOfWork

SURVEY_DAYS = 30  # how long an invitation's link stays open
BROWSER_ANSWERS = 2  # answers one browser sends in a day before the next ones are flagged
COMMENT_MAX = 2000
SCORES = ("1", "2", "3", "4")


class AsideBy(enum.StrEnum):
    """Who set an answer aside."""

    RULE = "rule"  # a proven person's second answer for the service that day
    STAFF = "staff"  # the office head, with a reason


class SurveyExpired(PustakaError):
    """The invitation's time to answer is over."""

    def __init__(self) -> None:
        super().__init__(
            N_("This survey link has expired: each link works for %(days)s days after the service."),
            days=SURVEY_DAYS,
        )


class SurveyAnswered(PustakaError):
    """The invitation's survey was already answered."""

    def __init__(self) -> None:
        super().__init__(N_("This survey has already been answered. Thank you for your rating."))


@dataclass(frozen=True)
class SurveyView:
    """What the survey page shows about the invitation it answers."""

    token: str
    service: ServiceKind
    channel: SurveyChannel
    office_id: int
    office_name: str
    office_timezone: str
    expires_at: dt.datetime
    respondent: str = ""  # the proven person the event was for (`respondents`), never shown
    doubts: str = ""  # what the office may doubt about the answer, known at the invitation
    language: str = ""  # a walk-in visitor's language (the guest book's), for the page; "" unknown


def request_event(number: str) -> str:
    """Return the event key of an online softcopy request's delivery."""
    return f"request:{number}"


def ticket_event(ticket_id: int) -> str:
    """Return the event key of one walk-in service (a queue ticket served)."""
    return f"ticket:{ticket_id}"


def invite(
    uow: UnitOfWork,
    *,
    office_id: int,
    service: ServiceKind,
    channel: SurveyChannel,
    event_key: str,
    now: dt.datetime,
    days: int = SURVEY_DAYS,
    respondent: str = "",
    doubts: Sequence[Doubt] = (),
) -> str:
    """Return the link secret of the event's invitation, made now if it has none yet.

    `respondent` is the proven person the event was for (`respondents`): their answers count
    once a service a day. `doubts` are what the office may doubt about the event's answer.
    """
    found = invitation_of_event(uow, event_key)
    if found is not None:
        return found
    token, _made = make_invitation(
        uow,
        office_id=office_id,
        service=service,
        channel=channel,
        event_key=event_key,
        now=now,
        days=days,
        respondent=respondent,
        doubts=doubts,
    )
    return token


def make_invitation(
    uow: UnitOfWork,
    *,
    office_id: int,
    service: ServiceKind,
    channel: SurveyChannel,
    event_key: str,
    now: dt.datetime,
    days: int,
    respondent: str = "",
    doubts: Sequence[Doubt] = (),
) -> tuple[str, bool]:
    """Make the event's invitation; return its secret, and whether this call made it (not another's).

    The caller has looked for one already (`invitation_of_event`): this only inserts.
    """
    values = {
        "office_id": office_id,
        "service": ServiceKind(service).value,
        "channel": channel.value,
        "event_key": event_key,
        "token": secrets.token_urlsafe(32),
        "created_at": now,
        "expires_at": now + dt.timedelta(days=days),
        "answered": False,
        "respondent": respondent,
        "doubts": doubt_codes(doubts),
    }
    # Another worker may invite for the same event at this moment: the database keeps one. (Not a
    # SAVEPOINT: on SQLite's driver one opened first in a transaction would commit it all.)
    insert = sqlite_insert if uow.session.get_bind().dialect.name == "sqlite" else postgresql_insert
    made = uow.session.scalar(
        insert(SurveyInvitation).values(values).on_conflict_do_nothing().returning(SurveyInvitation.token)
    )
    if made is not None:
        return made, True
    token = invitation_of_event(uow, event_key)
    assert token is not None  # inserted by the other worker
    return token, False


def invitation_for(uow: UnitOfWork, event_key: str, now: dt.datetime) -> str | None:
    """Return the link secret of an event's invitation while it can still be answered."""
    row = uow.session.scalar(select(SurveyInvitation).where(SurveyInvitation.event_key == event_key))
    if row is None or row.answered or row.expires_at <= now:
        return None
    return row.token


def open_survey(uow: UnitOfWork, token: str, now: dt.datetime) -> SurveyView:
    """Return the survey a link opens; refuse an unknown, expired or answered one."""
    row = uow.session.scalar(select(SurveyInvitation).where(SurveyInvitation.token == token[:64]))
    if row is None:
        raise LinkInvalid()
    if row.answered:
        raise SurveyAnswered()
    if row.expires_at <= now:
        raise SurveyExpired()
    office = uow.session.get(Office, row.office_id)
    assert office is not None  # a foreign key
    service, channel = ServiceKind(row.service), SurveyChannel(row.channel)
    return SurveyView(
        row.token,
        service,
        channel,
        office.id,
        office.name,
        office.timezone,
        row.expires_at,
        row.respondent,
        row.doubts,
        _visit_language(uow, row.event_key),
    )


def _visit_language(uow: UnitOfWork, event_key: str) -> str:
    """Return the language a walk-in service's visitor signed the guest book in ("" for other events)."""
    kind, _, number = event_key.partition(":")
    if kind != "ticket" or not number.isdigit():
        return ""
    found = uow.session.scalar(
        select(Visit.language).join(Ticket, Ticket.visit_id == Visit.id).where(Ticket.id == int(number))
    )
    return found or ""


def submit_survey(
    uow: UnitOfWork,
    token: str,
    answers: Mapping[str, str],
    comment: str,
    now: dt.datetime,
    *,
    browser: str = "",
) -> bool:
    """Store the answers to a survey link (every element, each 1-4) and close the link.

    Return whether the answer counts: a proven person's second answer for the same service on
    the same office day is kept but set aside by rule. `browser` names the browser the answer
    came from when it is not a terminal the office registered: never a person, but its third
    and later answers of a day are flagged (`Doubt.ONE_DEVICE`).
    """
    view = open_survey(uow, token, now)
    scores = _check_answers(answers)
    text = clean_text(comment)
    if len(text) > COMMENT_MAX:
        raise InvalidField("comment", N_("Keep the comment under %(limit)s characters."), limit=COMMENT_MAX)
    taken = uow.session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.token == view.token, SurveyInvitation.answered.is_(False))
        .values(answered=True)
        .execution_options(synchronize_session=False)
    )
    if changed_rows(taken) != 1:
        raise SurveyAnswered()  # answered meanwhile, from another tab or a second click
    day = office_today(view.office_timezone, now)
    forget_days_gone(uow, day)
    counted = not view.respondent or note_once(uow, view.office_id, view.service.value, day, view.respondent)
    doubts = [Doubt(code) for code in view.doubts.split(",") if code]
    if browser and _many_from_one_browser(uow, view, day, respondents.of_browser(browser)):
        doubts.append(Doubt.ONE_DEVICE)
    uow.session.add(
        SurveyResponse(
            office_id=view.office_id,
            service=view.service.value,
            channel=view.channel.value,
            answered_on=day,
            comment=text,
            counted=counted,
            aside_by="" if counted else AsideBy.RULE.value,
            doubts=doubt_codes(doubts),
            answers=[SurveyAnswer(element=code, score=score) for code, score in scores.items()],
        )
    )
    return counted


def _many_from_one_browser(uow: UnitOfWork, view: SurveyView, day: dt.date, key: str) -> bool:
    """Note one more answer of the browser today; tell whether it sent `BROWSER_ANSWERS` already."""
    return not any(
        note_once(uow, view.office_id, view.service.value, day, f"{key}:{n}")
        for n in range(1, BROWSER_ANSWERS + 1)
    )


def _check_answers(answers: Mapping[str, str]) -> dict[str, int]:
    """Return each element's score; name every element left unanswered or answered oddly."""
    problems: list[PustakaError] = []
    scores: dict[str, int] = {}
    for element in ELEMENTS:
        given = (answers.get(element.code) or "").strip()
        if given in SCORES:
            scores[element.code] = int(given)
        else:
            problems.append(InvalidField(element.code, N_("Choose one answer to this question.")))
    if problems:
        raise InvalidFields(problems)
    return scores


def invitation_of_event(uow: UnitOfWork, event_key: str) -> str | None:
    return uow.session.scalar(select(SurveyInvitation.token).where(SurveyInvitation.event_key == event_key))

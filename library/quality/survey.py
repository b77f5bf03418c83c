"""Inviting a person to the SKM survey after a service, and taking their one answer.

`invite` gives a service event its one invitation (a random link secret, valid for
`SURVEY_DAYS`); asking again returns the same one. `submit_survey` checks every answer at once,
marks the invitation answered and stores the response in one transaction, so a link answers
once even when it is sent twice at the same moment. The response is anonymous: it keeps the
office, the service, the channel and the office's day, never who or which event. Only a
person's first answer for a service on a day counts (`respondents`); later ones are set aside.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from library.clock import office_today
from library.db import changed_rows
from library.errors import InvalidField, InvalidFields, PustakaError
from library.i18n import N_
from library.models import (
    Office,
    ReadingSession,
    ServiceKind,
    SurveyAnswer,
    SurveyChannel,
    SurveyInvitation,
    SurveyResponse,
    SurveyTally,
    TerminalSession,
    Ticket,
    Visit,
)
from library.quality import respondents
from library.quality.elements import ELEMENTS
from library.text import clean_text
from library.tokens import LinkInvalid
from library.uow import UnitOfWork

SURVEY_DAYS = 30  # how long an invitation's link stays open
COMMENT_MAX = 2000
SCORES = ("1", "2", "3", "4")
TERMINAL_USE_TO_RATE = dt.timedelta(minutes=1)


class SurveyMailQueue(Protocol):
    """Where a walk-in service's invitation by email is sent, to leave from a job after the response."""

    def survey_mail(self, ticket_id: int) -> None:
        """Email the visitor of this ticket the survey link, unless they answered meanwhile."""


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
    respondent: str = ""  # who the event was for (`respondents`), never shown


def request_event(number: str) -> str:
    """Return the event key of an online softcopy request's delivery."""
    return f"request:{number}"


def ticket_event(ticket_id: int) -> str:
    """Return the event key of one walk-in service (a queue ticket served)."""
    return f"ticket:{ticket_id}"


def invite_after_service(
    uow: UnitOfWork, ticket: Ticket, now: dt.datetime, mail: SurveyMailQueue | None = None
) -> str | None:
    """Invite a walk-in visitor to rate a service they were served (one with a standard).

    The invitation made now (not one the service already had) is also emailed through `mail`,
    once the unit of work commits, when the visit left an address: a service finished and then
    checked out at the door, or finished twice, is mailed once.
    """
    kind = ticket.service.standard_kind
    if kind is None or ticket.served_at is None:
        return None  # a service without a published standard, or never served: nothing to rate
    if not service_given(uow, ticket, now):
        return None  # a terminal session opened and closed at once gave nothing to rate
    if _rated_today_by_the_same_person(uow, ticket):
        return None  # one rating per person, service and day: a new guest book entry is no new service
    token, made = _invite(
        uow,
        office_id=ticket.service.office_id,
        service=ServiceKind(kind),
        channel=SurveyChannel.VISIT,
        event_key=ticket_event(ticket.id),
        now=now,
        days=SURVEY_DAYS,
        respondent=respondents.of_visit(ticket.visit),
    )
    if made and mail is not None and ticket.visit.email:
        ticket_id = ticket.id
        uow.after_commit(lambda: mail.survey_mail(ticket_id))
    return token


def service_given(uow: UnitOfWork, ticket: Ticket, now: dt.datetime) -> bool:
    """Tell whether the ticket's service was really given: by staff, or in a terminal session used.

    A staff member starting the service at a counter gave it. A ticket served by a library
    terminal counts once the visitor read a page there, or kept the session for
    `TERMINAL_USE_TO_RATE` (a session opened and closed at once is no service to rate).
    """
    if ticket.served_by_id is not None:
        return True
    sessions = uow.session.scalars(
        select(TerminalSession).where(TerminalSession.ticket_id == ticket.id)
    ).all()
    if any((s.ended_at or now) - s.started_at >= TERMINAL_USE_TO_RATE for s in sessions):
        return True
    read = uow.session.scalar(
        select(ReadingSession.id).where(
            ReadingSession.visit_id == ticket.visit_id, ReadingSession.started_at >= ticket.served_at
        )
    )
    return read is not None


def _rated_today_by_the_same_person(uow: UnitOfWork, ticket: Ticket) -> bool:
    """Tell whether the visitor, by email or phone, was already invited to rate this service today."""
    visit = ticket.visit
    same = [Visit.email == visit.email] if visit.email else []
    same += [Visit.phone == visit.phone] if visit.phone else []
    if not same:
        return False
    earlier = uow.session.scalars(
        select(Ticket.id)
        .join(Visit, Ticket.visit_id == Visit.id)
        .where(
            Visit.office_id == visit.office_id,
            Visit.day == visit.day,
            Visit.id != visit.id,
            Ticket.service_id == ticket.service_id,
            or_(*same),
        )
    ).all()
    if not earlier:
        return False
    invited = select(SurveyInvitation.id).where(
        SurveyInvitation.event_key.in_([ticket_event(t) for t in earlier])
    )
    return uow.session.scalar(invited.limit(1)) is not None


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
) -> str:
    """Return the link secret of the event's invitation, made now if it has none yet.

    `respondent` is the person the event was for (`respondents`): their answers count once a day.
    """
    token, _made = _invite(
        uow,
        office_id=office_id,
        service=service,
        channel=channel,
        event_key=event_key,
        now=now,
        days=days,
        respondent=respondent,
    )
    return token


def _invite(
    uow: UnitOfWork,
    *,
    office_id: int,
    service: ServiceKind,
    channel: SurveyChannel,
    event_key: str,
    now: dt.datetime,
    days: int,
    respondent: str = "",
) -> tuple[str, bool]:
    """Return the event's invitation's secret, and whether this call made the invitation."""
    found = _by_event(uow, event_key)
    if found is not None:
        return found, False
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
    }
    # Another worker may invite for the same event at this moment: the database keeps one. (Not a
    # SAVEPOINT: on SQLite's driver one opened first in a transaction would commit it all.)
    insert = sqlite_insert if uow.session.get_bind().dialect.name == "sqlite" else postgresql_insert
    made = uow.session.scalar(
        insert(SurveyInvitation).values(values).on_conflict_do_nothing().returning(SurveyInvitation.token)
    )
    if made is not None:
        return made, True
    token = _by_event(uow, event_key)
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
        row.token, service, channel, office.id, office.name, office.timezone, row.expires_at, row.respondent
    )


def submit_survey(
    uow: UnitOfWork,
    token: str,
    answers: Mapping[str, str],
    comment: str,
    now: dt.datetime,
    *,
    client: str = "",
) -> bool:
    """Store the answers to a survey link (every element, each 1-4) and close the link.

    Return whether the answer counts: a person's second answer for the same service on the
    same office day is kept but set aside. Where the invitation knows no person, the device
    it is sent from (`client`, its network address) stands in for one.
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
    respondent = view.respondent or respondents.of_device(client)
    counted = _first_today(uow, view, day, respondent) if respondent else True
    uow.session.add(
        SurveyResponse(
            office_id=view.office_id,
            service=view.service.value,
            channel=view.channel.value,
            answered_on=day,
            comment=text,
            counted=counted,
            answers=[SurveyAnswer(element=code, score=score) for code, score in scores.items()],
        )
    )
    return counted


def _first_today(uow: UnitOfWork, view: SurveyView, day: dt.date, respondent: str) -> bool:
    """Note that the person answered for the service today; tell whether it is their first answer.

    One insert that the database keeps once (answers sent at the same moment included); the
    notes of days gone are dropped as it goes, so the table holds only today's.
    """
    uow.session.execute(delete(SurveyTally).where(SurveyTally.day < day - dt.timedelta(days=1)))
    insert = sqlite_insert if uow.session.get_bind().dialect.name == "sqlite" else postgresql_insert
    made = uow.session.scalar(
        insert(SurveyTally)
        .values(office_id=view.office_id, service=view.service.value, day=day, respondent=respondent)
        .on_conflict_do_nothing()
        .returning(SurveyTally.respondent)
    )
    return made is not None


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


def _by_event(uow: UnitOfWork, event_key: str) -> str | None:
    return uow.session.scalar(select(SurveyInvitation.token).where(SurveyInvitation.event_key == event_key))

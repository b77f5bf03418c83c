"""A walk-in visitor invited to rate a service they were given: at a counter, a terminal, or by a scan.

`invite_after_service` is called when a ticket's service ends (a counter finishing it, a
terminal session's "Selesai", a scan handed over, the visitor leaving). It invites only for a
service really given (`service_given`), once a proven person a service a day, and flags what
the office may doubt (a repeated declared name or phone, a very short terminal session).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from sqlalchemy import select

from library.models import (
    Doubt,
    IdentityCheck,
    ReadingSession,
    ScanStatus,
    ServiceKind,
    SurveyChannel,
    SurveyInvitation,
    TerminalSession,
    Ticket,
    Visit,
    VisitorScan,
)
from library.quality import respondents
from library.quality.survey import SURVEY_DAYS, invitation_of_event, make_invitation, ticket_event
from library.quality.tally import note_once
from library.uow import UnitOfWork

TERMINAL_USE_TO_RATE = dt.timedelta(minutes=1)


class SurveyMailQueue(Protocol):
    """Where a walk-in service's invitation by email is sent, to leave from a job after the response."""

    def survey_mail(self, ticket_id: int) -> None:
        """Email the visitor of this ticket the survey link, unless they answered meanwhile."""


def invite_after_service(
    uow: UnitOfWork, ticket: Ticket, now: dt.datetime, mail: SurveyMailQueue | None = None
) -> str | None:
    """Invite a walk-in visitor to rate a service they were given (one with a standard).

    The service was given when staff started it at a counter, when the visitor used a library
    terminal session started with its ticket, or when a scan of printed pages was handed over
    to them. The invitation made now (not one the service already had) is also emailed through
    `mail`, once the unit of work commits, when the visit left an address: a service finished
    and then checked out at the door, or finished twice, is mailed once.
    """
    kind = ticket.service.standard_kind
    if kind is None or ticket.served_at is None:
        return None  # a service without a published standard, or never served: nothing to rate
    found = invitation_of_event(uow, ticket_event(ticket.id))
    if found is not None:
        return found
    given, doubts = service_given(uow, ticket, now)
    if not given:
        return None  # a terminal session opened and closed at once gave nothing to rate
    if _rated_today_by_the_same_person(uow, ticket):
        return None  # one rating per proven person, service and day: a new guest book entry is no new service
    if _declared_earlier_today(uow, ticket):
        doubts.append(Doubt.SAME_DECLARED)
    token, made = make_invitation(
        uow,
        office_id=ticket.service.office_id,
        service=ServiceKind(kind),
        channel=SurveyChannel.VISIT,
        event_key=ticket_event(ticket.id),
        now=now,
        days=SURVEY_DAYS,
        respondent=respondents.of_visit(ticket.visit),
        doubts=doubts,
    )
    if made and mail is not None and ticket.visit.email:
        ticket_id = ticket.id
        uow.after_commit(lambda: mail.survey_mail(ticket_id))
    return token


def service_given(uow: UnitOfWork, ticket: Ticket, now: dt.datetime) -> tuple[bool, list[Doubt]]:
    """Tell whether the ticket's service was really given, and what the office may doubt about it.

    A staff member starting the service at a counter gave it, and so did a scan of printed
    pages handed over to the visitor. A ticket served by a library terminal counts once the
    visitor kept the session for `TERMINAL_USE_TO_RATE`, or read a page there: a session of
    under a minute in which a page was read is a service, flagged `SHORT_SESSION` (a session
    opened and closed at once is no service to rate).
    """
    if ticket.served_by_id is not None:
        return True, []
    scanned = uow.session.scalar(
        select(VisitorScan.id)
        .where(VisitorScan.ticket_id == ticket.id, VisitorScan.status == ScanStatus.READY.value)
        .limit(1)
    )
    if scanned is not None:
        return True, []
    sessions = uow.session.scalars(
        select(TerminalSession).where(TerminalSession.ticket_id == ticket.id)
    ).all()
    if any((s.ended_at or now) - s.started_at >= TERMINAL_USE_TO_RATE for s in sessions):
        return True, []
    read = uow.session.scalar(
        select(ReadingSession.id).where(
            ReadingSession.visit_id == ticket.visit_id, ReadingSession.started_at >= ticket.served_at
        )
    )
    if read is None:
        return False, []
    return True, [Doubt.SHORT_SESSION] if sessions else []


def _rated_today_by_the_same_person(uow: UnitOfWork, ticket: Ticket) -> bool:
    """Tell whether the visitor, proven the same person, was already invited to rate this service today.

    Only a proven address counts here: a typed one (or a phone) proves nothing, and a second
    visit declaring it is invited, flagged (`_declared_earlier_today`).
    """
    visit = ticket.visit
    if IdentityCheck(visit.identity_check) is IdentityCheck.DECLARED or not visit.email:
        return False
    earlier = uow.session.scalars(
        select(Ticket.id)
        .join(Visit, Ticket.visit_id == Visit.id)
        .where(
            Visit.office_id == visit.office_id,
            Visit.day == visit.day,
            Visit.id != visit.id,
            Visit.identity_check != IdentityCheck.DECLARED.value,
            Ticket.service_id == ticket.service_id,
            Visit.email == visit.email,
        )
    ).all()
    if not earlier:
        return False
    invited = select(SurveyInvitation.id).where(
        SurveyInvitation.event_key.in_([ticket_event(t) for t in earlier])
    )
    return uow.session.scalar(invited.limit(1)) is not None


def _declared_earlier_today(uow: UnitOfWork, ticket: Ticket) -> bool:
    """Note the name, phone and address the visit declared for the service; tell if another visit had today.

    The notes are `SurveyTally` rows of the visit's day (digests only), kept once by the
    database, so two visits invited at the same moment still see each other.
    """
    visit = ticket.visit
    kind = ticket.service.standard_kind or ""
    repeated = False
    for key in respondents.declared(visit):
        repeated = not note_once(uow, visit.office_id, kind, visit.day, key) or repeated
    return repeated

"""A walk-in visitor's invitation to the SKM survey by email, sent from a job after the service.

When a walk-in service ends (a counter finishes it, the visitor checks out at the door, or
taps "Selesai" on a library terminal) and the visit left an email address, the invitation
made for it is queued as one `survey_mail` job (`invite_after_service`). The job leaves
`SEND_AFTER` later, so that a visitor who rates the service on the terminal or from the
ticket's QR code right away is not asked again: it reads the invitation when it runs and
sends nothing once it is answered (or expired). A mail server that is down fails the job
and the queue tries it again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from library.clock import moment_in_both, office_zone
from library.mail import Mailer, Message, bilingual
from library.models import ServiceKind, SurveyInvitation, Ticket
from library.quality.survey import ticket_event
from library.uow import UnitOfWork

# Long enough to rate the service on the terminal or by the ticket's QR code before the mail
# goes; short enough that the visit is still fresh in the visitor's mind.
SEND_AFTER = dt.timedelta(minutes=15)

SERVICE_NAMES = {  # (Indonesian, English), as the email says them
    ServiceKind.LIBRARY: ("Perpustakaan", "library"),
    ServiceKind.CONSULTATION: ("Konsultasi Statistik", "statistical consultation"),
}


@dataclass(frozen=True)
class SurveyPost:
    """What the job emailing a walk-in visitor's survey link runs with."""

    session_factory: sessionmaker[Session]
    mailer: Mailer
    survey_link: Callable[[str], str]  # the survey's address for an invitation's secret
    now: Callable[[], dt.datetime]


def send_visit_survey(post: SurveyPost, ticket_id: int) -> bool:
    """Email the visitor of a ticket their survey link if it is still unanswered; return whether one left.

    Raise when the mail server cannot take it, so that the queue tries again.
    """
    with UnitOfWork(post.session_factory) as uow:
        message = compose(uow, post, ticket_id, post.now())
    if message is None:
        return False
    post.mailer.send(message)
    return True


def compose(uow: UnitOfWork, post: SurveyPost, ticket_id: int, now: dt.datetime) -> Message | None:
    """Return the invitation email of a ticket's service, or None when there is nothing to ask."""
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None or not ticket.visit.email:
        return None
    invitation = uow.session.scalar(
        select(SurveyInvitation).where(SurveyInvitation.event_key == ticket_event(ticket.id))
    )
    if invitation is None or invitation.answered or invitation.expires_at <= now:
        return None  # rated on the terminal or by the QR code meanwhile: not asked twice
    office = ticket.service.office
    return visit_survey(
        ticket.visit.email,
        ticket.visit.name,
        ServiceKind(invitation.service),
        (office.name, office.name_en or office.name),
        post.survey_link(invitation.token),
        invitation.expires_at,
        office.timezone,
    )


def visit_survey(
    to: str,
    name: str,
    service: ServiceKind,
    office: tuple[str, str],
    link: str,
    expires_at: dt.datetime,
    timezone: str,
) -> Message:
    """Invite a walk-in visitor to rate the service they were given (the SKM survey), by a one-use link."""
    service_id, service_en = SERVICE_NAMES[service]
    office_id, office_en = office
    until = moment_in_both(expires_at, office_zone(timezone))
    return bilingual(
        to,
        f"Mohon nilai layanan {service_id} kami",
        f"Please rate our {service_en} service",
        f"""
Halo {name},

Terima kasih telah berkunjung ke PST {office_id} untuk layanan {service_id}.
Mohon nilai layanan kami (9 pertanyaan, tanpa nama; jawaban Anda tidak dikaitkan dengan
nama atau alamat email Anda):

{link}

Tautan ini hanya dapat dipakai sekali dan berlaku sampai {until.indonesian}.
""",
        f"""
Hello {name},

Thank you for visiting the PST of {office_en} for its {service_en} service.
Please rate our service (9 questions, anonymous: your answers are not linked to your name
or email address):

{link}

The link can be used once and works until {until.english}.
""",
    )

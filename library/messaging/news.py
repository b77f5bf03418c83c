"""What a visitor is told on their phone, and when: a call, two ahead, the survey link.

- **Called**: each call of a ticket (a recall too, told again), "go to Loket 2".
- **Two ahead**: after each call in a service, the visitor who now has two others before them in
  the calling order, once per ticket (a visitor who went out for a coffee comes back in time).
- **Scan ready**: the pages scanned for the visitor are stamped, with a link to their visit's page.
- **The survey**: with the survey email, the same one-use link, once per ticket.

Each is composed in a transaction of its own after what it tells has committed (the jobs in
`runtime.tasks`), so a slow gateway never holds a counter's call.
"""

from __future__ import annotations

from sqlalchemy import select

from library.messaging.outbox import PhonePost, tell
from library.models import (
    MessageKind,
    PhoneMessage,
    ScanStatus,
    SurveyInvitation,
    Ticket,
    TicketStatus,
    Visit,
    VisitorScan,
)
from library.quality import ticket_event
from library.uow import UnitOfWork

AHEAD = 2


def _office_name(visit: Visit) -> str:
    """Name the visit's office in the visitor's language."""
    office = visit.office
    return (office.name_en or office.name) if visit.language == "en" else office.name


def tell_queue_moved(post: PhonePost, ticket_id: int) -> list[int]:
    """Tell the visitor of a called ticket, and the one now two behind; return the messages to send."""
    told: list[PhoneMessage | None] = []
    with UnitOfWork(post.session_factory) as uow:
        ticket = uow.session.get(Ticket, ticket_id)
        if ticket is None:
            return []
        if ticket.status == TicketStatus.CALLED.value:
            values = {"office": _office_name(ticket.visit), "ticket": ticket.code, "counter": ticket.counter}
            told.append(
                tell(uow, post, ticket.visit, MessageKind.CALLED, f"call-{ticket.id}-{ticket.calls}", values)
            )
        behind = waiting_in_calling_order(uow, ticket.service_id, ticket)
        if len(behind) > AHEAD:
            next_but_two = behind[AHEAD]
            values = {
                "office": _office_name(next_but_two.visit),
                "ticket": next_but_two.code,
                "ahead": str(AHEAD),
            }
            told.append(
                tell(
                    uow, post, next_but_two.visit, MessageKind.TWO_AHEAD, f"ticket-{next_but_two.id}", values
                )
            )
        uow.commit()
        return [row.id for row in told if row is not None]


def waiting_in_calling_order(uow: UnitOfWork, service_id: int, ticket: Ticket) -> list[Ticket]:
    """Return the tickets waiting in a service's queue of the ticket's day, in the order they are called."""
    return list(
        uow.session.scalars(
            select(Ticket)
            .where(
                Ticket.service_id == service_id,
                Ticket.day == ticket.day,
                Ticket.status == TicketStatus.WAITING.value,
            )
            .order_by(Ticket.number)
            .limit(AHEAD + 1)
        )
    )


def tell_survey(post: PhonePost, ticket_id: int) -> list[int]:
    """Send a served visitor the survey link (the email's), unless answered or expired; return messages."""
    with UnitOfWork(post.session_factory) as uow:
        ticket = uow.session.get(Ticket, ticket_id)
        invitation = uow.session.scalar(
            select(SurveyInvitation).where(SurveyInvitation.event_key == ticket_event(ticket_id))
        )
        if ticket is None or invitation is None or invitation.answered or invitation.expires_at <= post.now():
            return []
        values = {"office": _office_name(ticket.visit), "link": post.survey_link(invitation.token)}
        row = tell(uow, post, ticket.visit, MessageKind.SURVEY, f"survey-{ticket_id}", values)
        uow.commit()
        return [] if row is None else [row.id]


def tell_scan_ready(post: PhonePost, scan_id: int) -> list[int]:
    """Tell a visitor the pages scanned for them are ready, with their visit's own page; return messages."""
    with UnitOfWork(post.session_factory) as uow:
        scan = uow.session.get(VisitorScan, scan_id)
        if scan is None or scan.status != ScanStatus.READY.value:
            return []
        visit = uow.session.get_one(Visit, scan.visit_id)
        values = {"office": _office_name(visit), "link": post.status_link(visit.status_token)}
        row = tell(uow, post, visit, MessageKind.SCAN_READY, f"scan-{scan_id}", values)
        uow.commit()
        return [] if row is None else [row.id]

"""What a visitor is told on their phone, and when: a call, two ahead, the survey link.

Each is told on every channel the visitor chose: a text message (WhatsApp or SMS, with the
guest book's consent) and Web Push to each browser that subscribed on the status page.

- **Called**: each call of a ticket (a recall too, told again), "go to Loket 2".
- **Two ahead**: after each call in a service, the visitor who now has two others before them in
  the calling order (booked tickets first, then the priority rule call after call:
  `queue.next_up.projected_order`), once per ticket (a visitor who went out for a coffee comes
  back in time).
- **Scan ready**: the pages scanned for the visitor are stamped, with a link to their visit's page.
- **The survey**: with the survey email, the same one-use link, once per ticket.

Each is composed in a transaction of its own after what it tells has committed (the jobs in
`runtime.tasks`), so a slow gateway never holds a counter's call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from library.frontoffice.queue.at_work import service_rule
from library.frontoffice.queue.next_up import projected_order
from library.frontoffice.queue.priority import PriorityPolicy
from library.messaging.outbox import PhonePost, tell
from library.messaging.push_outbox import tell_browsers
from library.messaging.texts import render, template
from library.models import (
    MessageKind,
    ScanStatus,
    SurveyInvitation,
    Ticket,
    TicketStatus,
    Visit,
    VisitorScan,
)
from library.quality.survey import ticket_event
from library.uow import UnitOfWork

AHEAD = 2


@dataclass
class Told:
    """The messages written, to send once they commit: text messages and Web Push, by id."""

    phone: list[int] = field(default_factory=list)
    push: list[int] = field(default_factory=list)


def _office_name(visit: Visit, language: str) -> str:
    """Name the visit's office in a language."""
    office = visit.office
    return (office.name_en or office.name) if language == "en" else office.name


def _tell(
    uow: UnitOfWork, post: PhonePost, visit: Visit, kind: MessageKind, subject: str, values: dict[str, str]
) -> Told:
    """Write what a visitor is told on each channel they chose; return the messages' ids."""
    told = Told()
    if post.gateway is not None:
        row = tell(uow, post, visit, kind, subject, {"office": _office_name(visit, visit.language), **values})
        if row is not None:
            told.phone.append(row.id)
    if post.push:

        def compose(language: str) -> tuple[str, str]:
            office = _office_name(visit, language)
            said = render(
                template(kind, language, post.texts, visit.office.code), {"office": office, **values}
            )
            return f"PST {office}", said

        url = post.status_link(visit.status_token)
        told.push += [row.id for row in tell_browsers(uow, visit, kind, subject, compose, url, post.now())]
    return told


def tell_queue_moved(post: PhonePost, ticket_id: int, policy: PriorityPolicy) -> Told:
    """Tell the visitor of a called ticket, and the one now two behind; return the messages to send."""
    told = Told()
    with UnitOfWork(post.session_factory) as uow:
        ticket = uow.session.get(Ticket, ticket_id)
        if ticket is None:
            return told
        if ticket.status == TicketStatus.CALLED.value:
            values = {"ticket": ticket.code, "counter": ticket.counter}
            _merge(
                told,
                _tell(
                    uow, post, ticket.visit, MessageKind.CALLED, f"call-{ticket.id}-{ticket.calls}", values
                ),
            )
        order = projected_order(
            uow, ticket.service_id, ticket.day, service_rule(ticket.service), policy, post.now()
        )
        if len(order) > AHEAD:
            next_but_two = uow.session.get_one(Ticket, order[AHEAD])
            values = {"ticket": next_but_two.code, "ahead": str(AHEAD)}
            _merge(
                told,
                _tell(
                    uow, post, next_but_two.visit, MessageKind.TWO_AHEAD, f"ticket-{next_but_two.id}", values
                ),
            )
        uow.commit()
    return told


def _merge(into: Told, more: Told) -> None:
    """Add the messages of `more` to `into`."""
    into.phone += more.phone
    into.push += more.push


def tell_survey(post: PhonePost, ticket_id: int) -> Told:
    """Send a served visitor the survey link (the email's), unless answered or expired; return messages."""
    with UnitOfWork(post.session_factory) as uow:
        ticket = uow.session.get(Ticket, ticket_id)
        invitation = uow.session.scalar(
            select(SurveyInvitation).where(SurveyInvitation.event_key == ticket_event(ticket_id))
        )
        if ticket is None or invitation is None or invitation.answered or invitation.expires_at <= post.now():
            return Told()
        values = {"link": post.survey_link(invitation.token)}
        told = _tell(uow, post, ticket.visit, MessageKind.SURVEY, f"survey-{ticket_id}", values)
        uow.commit()
        return told


def tell_scan_ready(post: PhonePost, scan_id: int) -> Told:
    """Tell a visitor the pages scanned for them are ready, with their visit's own page; return messages."""
    with UnitOfWork(post.session_factory) as uow:
        scan = uow.session.get(VisitorScan, scan_id)
        if scan is None or scan.status != ScanStatus.READY.value:
            return Told()
        visit = uow.session.get_one(Visit, scan.visit_id)
        values = {"link": post.status_link(visit.status_token)}
        told = _tell(uow, post, visit, MessageKind.SCAN_READY, f"scan-{scan_id}", values)
        uow.commit()
        return told

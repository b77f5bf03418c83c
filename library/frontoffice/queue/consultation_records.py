"""What a consultant records of a walk-in consultation, and a ticket's history with that record.

While serving a visitor from the consultation queue, the consultant writes on the ticket the
topic (a few words, as an online consultation's topic), what they gave (data, tables, advice)
and where they sent the visitor next among the PST services (nowhere, the library, a softcopy
request, another service). They may save it and change it while the service runs; finishing
the service needs it with a topic, so that every walk-in consultation is counted by topic in
the reports. Finishing starts the next visitor's clock, as any finished service does. Nothing
here commits: the caller does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from library.errors import InvalidField, InvalidFields, NotFound, PustakaError
from library.frontoffice.queue.actions import finish_service
from library.frontoffice.queue.at_work import (
    MAX_ID,
    NO_SUCH_TICKET,
    OTHER_QUEUE,
    QueueError,
    QueueRef,
    ticket_at_work,
)
from library.frontoffice.queue.origins import origin_of
from library.i18n import N_
from library.models import (
    MAX_WALK_IN_TOPIC,
    Referral,
    ServiceKind,
    Ticket,
    TicketStatus,
    User,
    WalkInConsultation,
)
from library.models.labels import label
from library.permissions import Actor, require_work_queue
from library.quality.walk_in import SurveyMailQueue
from library.uow import UnitOfWork

MAX_GIVEN = 4000
TOPIC_NEEDED = N_("Write the topic of the consultation: a consultation cannot be finished without one.")
NOT_A_CONSULTATION = N_("Ticket %(code)s is not in a consultation queue, so it has no consultation record.")
NOT_SERVING = N_("Ticket %(code)s is not being served: record the consultation while you serve the visitor.")
NO_SUCH_REFERRAL = N_("Choose where the visitor was referred from the list.")


@dataclass(frozen=True)
class ConsultationNote:
    """What the consultant writes of a walk-in consultation, as typed (checked when saved)."""

    topic: str = ""
    given: str = ""
    referral: str = Referral.NONE.value


@dataclass(frozen=True)
class HistoryStep:
    """One step of a ticket's day: when, what happened (a catalogue message) and its detail."""

    at: dt.datetime
    what: str
    detail: str = ""
    params: Mapping[str, str] = field(default_factory=dict)  # the values `what` is filled in with


@dataclass(frozen=True)
class TicketHistory:
    """A queue ticket as its history page shows it: the visitor, each step, the consultation record."""

    id: int
    code: str
    day: dt.date
    status: TicketStatus
    visitor_name: str
    purpose: str
    service_name: str
    service_name_en: str
    steps: tuple[HistoryStep, ...]
    note: ConsultationNote | None
    consultant_name: str  # who recorded the consultation, or ""
    recorded_at: dt.datetime | None

    @property
    def referral_words(self) -> str:
        """Return the words (not yet translated) of the record's referral."""
        return label(Referral(self.note.referral if self.note else Referral.NONE.value))


def check_record_consultation(
    uow: UnitOfWork,
    actor: Actor | None,
    ticket_id: int,
    note: ConsultationNote,
    now: dt.datetime,
    *,
    at: QueueRef | None = None,
) -> Ticket:
    """Save (or change) what the consultant records of the consultation they serve; return its ticket."""
    ticket, staff = ticket_at_work(uow, actor, ticket_id, now, at)
    _require_consultation(ticket)
    if ticket.status != TicketStatus.SERVING:
        raise QueueError(NOT_SERVING, code=ticket.code)
    topic, given, referral = _checked(note)
    row = uow.session.scalar(select(WalkInConsultation).where(WalkInConsultation.ticket_id == ticket.id))
    if row is None:
        row = WalkInConsultation(ticket_id=ticket.id)
        uow.session.add(row)
    row.topic, row.given, row.referral = topic, given, referral.value
    row.consultant_id, row.recorded_at = staff.id, now
    uow.session.flush()
    return ticket


def check_finish_consultation(
    uow: UnitOfWork,
    actor: Actor | None,
    ticket_id: int,
    now: dt.datetime,
    note: ConsultationNote | None = None,
    *,
    at: QueueRef | None = None,
    mail: SurveyMailQueue | None = None,
) -> Ticket:
    """Record the consultation (when a note comes with it), then finish it; never one with no topic."""
    if note is not None:
        check_record_consultation(uow, actor, ticket_id, note, now, at=at)
    else:
        ticket, _staff = ticket_at_work(uow, actor, ticket_id, now, at)
        _require_consultation(ticket)
        if not records_of(uow, [ticket.id]):
            raise InvalidField("topic", TOPIC_NEEDED)
    return finish_service(uow, actor, ticket_id, now, at=at, mail=mail)


def check_save_consultation_record(
    uow: UnitOfWork,
    actor: Actor | None,
    ticket_id: int,
    note: ConsultationNote,
    now: dt.datetime,
    *,
    finish: bool = False,
    at: QueueRef | None = None,
    mail: SurveyMailQueue | None = None,
) -> Ticket:
    """Save what the consultant records of the consultation they serve; with `finish`, finish it too."""
    if finish:
        return check_finish_consultation(uow, actor, ticket_id, now, note, at=at, mail=mail)
    return check_record_consultation(uow, actor, ticket_id, note, now, at=at)


def records_of(uow: UnitOfWork, ticket_ids: Sequence[int]) -> dict[int, ConsultationNote]:
    """Return the consultation records of some tickets, by ticket id (tickets with none left out)."""
    if not ticket_ids:
        return {}
    rows = uow.session.scalars(
        select(WalkInConsultation).where(WalkInConsultation.ticket_id.in_(list(ticket_ids)))
    )
    return {row.ticket_id: ConsultationNote(row.topic, row.given, row.referral) for row in rows}


def ticket_history(uow: UnitOfWork, actor: Actor | None, ticket_id: int, *, at: QueueRef) -> TicketHistory:
    """Return a ticket of a console's queue (of any day) with its steps and its consultation record."""
    if not isinstance(ticket_id, int) or not 0 < ticket_id <= MAX_ID:
        raise NotFound(NO_SUCH_TICKET)
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(NO_SUCH_TICKET)
    require_work_queue(uow, actor, ticket.service.code)
    if (ticket.service.office.code, ticket.service.code) != (at.office_code, at.service_code):
        raise QueueError(OTHER_QUEUE, code=ticket.code)
    row = uow.session.scalar(select(WalkInConsultation).where(WalkInConsultation.ticket_id == ticket.id))
    consultant = uow.session.get(User, row.consultant_id) if row and row.consultant_id else None
    return TicketHistory(
        id=ticket.id,
        code=ticket.code,
        day=ticket.day,
        status=TicketStatus(ticket.status),
        visitor_name=ticket.visit.name,
        purpose=ticket.visit.purpose,
        service_name=ticket.service.name,
        service_name_en=ticket.service.name_en,
        steps=tuple(_steps(uow, ticket, row)),
        note=None if row is None else ConsultationNote(row.topic, row.given, row.referral),
        consultant_name=consultant.name if consultant else "",
        recorded_at=None if row is None else row.recorded_at,
    )


def _steps(uow: UnitOfWork, ticket: Ticket, row: WalkInConsultation | None) -> list[HistoryStep]:
    """Return what happened to a ticket, in time order."""
    steps = [_first_step(uow, ticket)]
    if ticket.called_at is not None:
        steps.append(HistoryStep(ticket.called_at, N_("Called to the counter"), ticket.counter))
    if ticket.served_at is not None:
        server = uow.session.get(User, ticket.served_by_id) if ticket.served_by_id else None
        steps.append(HistoryStep(ticket.served_at, N_("Service started"), server.name if server else ""))
        if ticket.breach_reason:
            steps.append(HistoryStep(ticket.served_at, N_("Started past the target"), ticket.breach_reason))
    if row is not None:
        steps.append(HistoryStep(row.recorded_at, N_("Consultation recorded"), row.topic))
    if ticket.finished_at is not None:
        ended = {
            TicketStatus.DONE: N_("Service finished"),
            TicketStatus.NO_SHOW: N_("Did not come"),
            TicketStatus.TRANSFERRED: N_("Transferred to another queue"),
        }.get(TicketStatus(ticket.status), N_("Closed"))
        steps.append(HistoryStep(ticket.finished_at, ended, _sent_to(uow, ticket)))
    return sorted(steps, key=lambda step: step.at)


def _sent_to(uow: UnitOfWork, ticket: Ticket) -> str:
    """Return the ticket a transferred ticket became, with its service; "" for any other."""
    moved = uow.session.get(Ticket, ticket.transferred_to_id) if ticket.transferred_to_id else None
    return f"{moved.code} ({moved.service.name})" if moved else ""


def _first_step(uow: UnitOfWork, ticket: Ticket) -> HistoryStep:
    """Return how the ticket began: at the guest book, or transferred from another ticket."""
    origin = origin_of(uow, ticket)
    if origin is None:
        return HistoryStep(ticket.issued_at, N_("Ticket taken at the guest book"))
    params = {"code": origin.code, "service": origin.service_name, "counter": origin.counter}
    if origin.counter:
        return HistoryStep(
            ticket.issued_at,
            N_("Transferred from ticket %(code)s (%(service)s) by %(counter)s"),
            params=params,
        )
    return HistoryStep(ticket.issued_at, N_("Transferred from ticket %(code)s (%(service)s)"), params=params)


def _require_consultation(ticket: Ticket) -> None:
    """Refuse a ticket of a queue other than consultation."""
    if ServiceKind.CONSULTATION.value not in (ticket.service.standard_kind, ticket.service.code):
        raise QueueError(NOT_A_CONSULTATION, code=ticket.code)


def _checked(note: ConsultationNote) -> tuple[str, str, Referral]:
    """Return the note's fields tidied, or refuse every problem at once."""
    topic = " ".join((note.topic or "").split())
    given = (note.given or "").strip()
    problems: list[PustakaError] = []
    if not topic:
        problems.append(InvalidField("topic", TOPIC_NEEDED))
    elif len(topic) > MAX_WALK_IN_TOPIC:
        problems.append(InvalidField("topic", N_("Write at most %(n)s characters."), n=MAX_WALK_IN_TOPIC))
    if len(given) > MAX_GIVEN:
        problems.append(InvalidField("given", N_("Write at most %(n)s characters."), n=MAX_GIVEN))
    try:
        referral = Referral(note.referral or Referral.NONE.value)
    except ValueError:
        problems.append(InvalidField("referral", NO_SUCH_REFERRAL))
        referral = Referral.NONE
    if problems:
        raise InvalidFields(problems)
    return topic, given, referral

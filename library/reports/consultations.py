"""The consultation section: consultations per channel, topic and consultant; times; closures; IKM.

Counted: consultations opened in the period by every channel the standard names (Pustaka's
website, email, WhatsApp, telephone and social media: "online" below), and walk-in consultations
recorded on queue tickets of the period's days (the consultant's record: topic, what was given, referral).
Online, the time to clarification runs from opening to the consultant's first message, the
time to answer from opening to the answer; an answer is within target when it came by the due
time set when the consultation became clear and complete (3 working days, the office's
calendar). Closures are counted when they happened in the period, by the consultant or
automatically after the user's silence. Topics are grouped as typed, ignoring case and spaces; a
topic that is a controlled subject (by name or merged spelling) counts under that subject.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Mapping

from sqlalchemy import func, select

from catalog_data import fold
from library.consultation.topics import topic_key
from library.i18n import N_
from library.models import (
    Consultation,
    ConsultationAction,
    ConsultationChannel,
    ConsultationEvent,
    ConsultationMessage,
    QueueService,
    Referral,
    ServiceKind,
    Ticket,
    User,
    WalkInConsultation,
)
from library.models.labels import label
from library.reports.satisfaction import INDEXES, service_index_row
from library.reports.scope import Scope
from library.reports.tables import Cell, Chart, Column, Kind, Label, Section, Table
from library.subjects.vocabulary import subject_keys
from library.uow import UnitOfWork

TOP_TOPICS = 20
WALK_IN = Label("walk_in", message=N_("Walk-in"))
CHANNELS = (
    Column("consultation_channel", N_("Channel"), Kind.LABEL),
    Column("consultations", N_("Consultations"), Kind.COUNT),
)
CLOSINGS = (
    ConsultationAction.CLOSED.value,
    ConsultationAction.CLOSED_BY_USER.value,
    ConsultationAction.CLOSED_SILENT.value,
)
TIMES = (
    Column("consultations", N_("Online consultations"), Kind.COUNT),
    Column("clarified", N_("With a consultant's message"), Kind.COUNT),
    Column("median_hours_to_clarification", N_("Median time to the first message (hours)"), Kind.HOURS),
    Column("answered", N_("Answered"), Kind.COUNT),
    Column("median_hours_to_answer", N_("Median time to answer (hours)"), Kind.HOURS),
    Column("measured", N_("Clear and complete, due or answered"), Kind.COUNT),
    Column("within_target", N_("Answered within 3 working days"), Kind.COUNT),
    Column("within_target_percent", N_("Within target (%)"), Kind.PERCENT),
    Column("closed_by_consultant", N_("Closed by the consultant"), Kind.COUNT),
    Column("closed_by_user", N_("Closed by the user: the answer helped"), Kind.COUNT),
    Column("closed_automatically", N_("Closed automatically"), Kind.COUNT),
)
TOPICS = (
    Column("rank", N_("Rank"), Kind.COUNT),
    Column("topic", N_("Topic"), Kind.TEXT),
    Column("online", N_("Online"), Kind.COUNT),
    Column("walk_in", N_("Walk-in"), Kind.COUNT),
    Column("consultations", N_("Consultations"), Kind.COUNT),
)
CONSULTANTS = (
    Column("consultant", N_("Consultant"), Kind.TEXT),
    Column("online", N_("Online"), Kind.COUNT),
    Column("walk_in", N_("Walk-in"), Kind.COUNT),
    Column("consultations", N_("Consultations"), Kind.COUNT),
)
REFERRALS = (
    Column("referral", N_("Referred to"), Kind.LABEL),
    Column("walk_ins", N_("Walk-in consultations"), Kind.COUNT),
)


def consultation_section(uow: UnitOfWork, scope: Scope) -> Section:
    """Return the period's consultations per channel, topic and consultant, their times and their IKM."""
    online = _online(uow, scope)
    walk_ins = _walk_ins(uow, scope)
    return Section(
        key="consultation",
        title=N_("Statistical consultation"),
        note=N_(
            "Online consultations opened in the period and walk-in consultations recorded at the "
            "counter on the period's days. Online, the time to clarification runs from opening to "
            "the consultant's first message, the time to answer from opening to the answer; an "
            "answer is within target when it came within 3 working days of the consultation "
            "becoming clear and complete. Closures are counted when they happened. Topics are "
            "grouped as typed, ignoring capitals and spaces, and a topic that is a controlled subject "
            "(its name or a merged spelling) counts under that subject; a consultant counts the online "
            "consultations assigned to them and the walk-ins they recorded."
        ),
        tables=(
            _channels(online, walk_ins),
            _times(uow, scope, online),
            _topics(online, walk_ins, subject_keys(uow)),
            _consultants(uow, online, walk_ins),
            _referrals(walk_ins),
            Table(
                "consultation_ikm",
                N_("Satisfaction index (IKM) of consultation"),
                INDEXES,
                (service_index_row(uow, scope, scope.service(ServiceKind.CONSULTATION)),),
                N_("No services."),
            ),
        ),
        charts=(
            Chart(
                "consultation_channels",
                N_("Consultations per channel"),
                table="consultation_channels",
                label_column="consultation_channel",
                value_column="consultations",
                maximum=None,
            ),
        ),
    )


def _online(uow: UnitOfWork, scope: Scope) -> list[Consultation]:
    """Return the office's online consultations opened in the period, oldest first."""
    return list(
        uow.session.scalars(
            select(Consultation)
            .where(
                Consultation.office_id == scope.office_id,
                Consultation.opened_at >= scope.starts_at,
                Consultation.opened_at < scope.ends_before,
            )
            .order_by(Consultation.opened_at, Consultation.id)
        )
    )


def _walk_ins(uow: UnitOfWork, scope: Scope) -> list[WalkInConsultation]:
    """Return the walk-in consultations recorded on the office's tickets of the period's days."""
    return list(
        uow.session.scalars(
            select(WalkInConsultation)
            .join(Ticket, Ticket.id == WalkInConsultation.ticket_id)
            .join(QueueService, QueueService.id == Ticket.service_id)
            .where(
                QueueService.office_id == scope.office_id,
                Ticket.day >= scope.period.start,
                Ticket.day <= scope.period.end,
            )
            .order_by(WalkInConsultation.id)
        )
    )


def _channels(online: list[Consultation], walk_ins: list[WalkInConsultation]) -> Table:
    """Return the table of the consultations per channel the standard names, and those at the counter."""
    by_channel = Counter(row.channel for row in online)
    rows: tuple[tuple[Cell, ...], ...] = (
        *((Label(c.value, message=label(c)), by_channel[c.value]) for c in ConsultationChannel),
        (WALK_IN, len(walk_ins)),
    )
    return Table(
        "consultation_channels", N_("Consultations per channel"), CHANNELS, rows, N_("No consultations.")
    )


def _times(uow: UnitOfWork, scope: Scope, online: list[Consultation]) -> Table:
    """Return the table of online consultations' times to clarification and answer, target kept, closures."""
    ids = [row.id for row in online]
    first_words = dict(
        uow.session.execute(
            select(ConsultationMessage.consultation_id, func.min(ConsultationMessage.at))
            .where(
                ConsultationMessage.consultation_id.in_(ids),
                ConsultationMessage.from_staff,
                ConsultationMessage.author_id.is_not(None),  # a person's message, not a notice
            )
            .group_by(ConsultationMessage.consultation_id)
        ).all()
    )
    to_clarify = [_hours(first_words[row.id] - row.opened_at) for row in online if row.id in first_words]
    to_answer = [_hours(row.answered_at - row.opened_at) for row in online if row.answered_at]
    measured = [
        row
        for row in online
        if row.due_at is not None and (row.answered_at is not None or row.due_at < scope.now)
    ]
    within = len(
        [row for row in measured if row.answered_at and row.due_at and row.answered_at <= row.due_at]
    )
    closures = _closures(uow, scope)
    row = (
        len(online),
        len(to_clarify),
        _median(to_clarify),
        len(to_answer),
        _median(to_answer),
        len(measured),
        within,
        round(100 * within / len(measured), 1) if measured else None,
        closures[ConsultationAction.CLOSED.value],
        closures[ConsultationAction.CLOSED_BY_USER.value],
        closures[ConsultationAction.CLOSED_SILENT.value],
    )
    return Table(
        "consultation_times",
        N_("Online consultations: clarification, answer and closing"),
        TIMES,
        (row,),
        N_("No consultations."),
    )


def _closures(uow: UnitOfWork, scope: Scope) -> Counter[str]:
    """Count the office's consultations closed in the period: by the consultant, the user, the silence."""
    return Counter(
        action
        for (action,) in uow.session.execute(
            select(ConsultationEvent.action)
            .join(Consultation, Consultation.id == ConsultationEvent.consultation_id)
            .where(
                Consultation.office_id == scope.office_id,
                ConsultationEvent.at >= scope.starts_at,
                ConsultationEvent.at < scope.ends_before,
                ConsultationEvent.action.in_(CLOSINGS),
            )
        )
    )


def _topics(
    online: list[Consultation], walk_ins: list[WalkInConsultation], subjects: Mapping[str, str]
) -> Table:
    """Return the table of the topics asked most, with how many online and at the counter.

    A topic that is a controlled subject (its name in either language, or a spelling merged into
    it) counts under the subject's name; any other is grouped as typed.
    """
    asked_online = Counter(subjects.get(fold(row.topic), topic_key(row.topic)) for row in online)
    asked_in_person = Counter(subjects.get(fold(row.topic), topic_key(row.topic)) for row in walk_ins)
    totals = asked_online + asked_in_person
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:TOP_TOPICS]
    rows = tuple(
        (n, topic, asked_online[topic], asked_in_person[topic], total)
        for n, (topic, total) in enumerate(ranked, start=1)
    )
    return Table(
        "consultation_topics", N_("Topics asked most"), TOPICS, rows, N_("No consultations in this period.")
    )


def _consultants(uow: UnitOfWork, online: list[Consultation], walk_ins: list[WalkInConsultation]) -> Table:
    """Return the table of each consultant's online consultations (assigned) and walk-ins (recorded)."""
    assigned = Counter(row.consultant_id for row in online if row.consultant_id is not None)
    recorded = Counter(row.consultant_id for row in walk_ins if row.consultant_id is not None)
    people = set(assigned) | set(recorded)
    names = (
        {
            int(i): str(n)
            for i, n in uow.session.execute(select(User.id, User.name).where(User.id.in_(people)))
        }
        if people
        else {}
    )
    ordered = sorted(
        people, key=lambda p: (-(assigned[p] + recorded[p]), names.get(p, "").casefold(), names.get(p, ""), p)
    )
    rows = tuple(
        (names.get(person, ""), assigned[person], recorded[person], assigned[person] + recorded[person])
        for person in ordered
    )
    return Table(
        "consultation_consultants",
        N_("Consultations per consultant"),
        CONSULTANTS,
        rows,
        N_("No consultations in this period."),
    )


def _referrals(walk_ins: list[WalkInConsultation]) -> Table:
    """Return the table of how many walk-ins were referred to each other PST service (and to none)."""
    referred = Counter(row.referral for row in walk_ins)
    rows = tuple(
        (Label(referral.value, message=label(referral)), referred[referral.value]) for referral in Referral
    )
    return Table(
        "consultation_referrals",
        N_("Walk-in consultations referred to other PST services"),
        REFERRALS,
        rows,
        N_("No walk-in consultations."),
    )


def _hours(span: dt.timedelta) -> float:
    return span.total_seconds() / 3600


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None

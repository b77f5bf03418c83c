"""The month's consultations: online ones stored as their flow leaves them, and walk-in records.

Drawn from their own random numbers, so the rest of the month stays as it was without them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from flask import Flask

from library.frontoffice.queue.consultation_records import ConsultationNote, check_record_consultation
from library.models import (
    Consultation,
    ConsultationAction,
    ConsultationEvent,
    ConsultationMessage,
    Role,
    User,
    UserRole,
)
from library.uow import UnitOfWork
from library.working_days import Calendar

WIB = dt.timezone(dt.timedelta(hours=7))
CALENDAR = Calendar.of("Asia/Jakarta")
TOPICS = (
    "Inflasi",
    "inflasi ",
    "Kemiskinan  per kecamatan",
    "PDRB",
    "IPM Kota Metro",
    "Upah buruh",
    "Ekspor",
)
REFERRALS = ("none", "none", "library", "softcopy", "other")
SECOND_CONSULTANT = "Sari Konsultan"
CHANNELS = ("web", "web", "web", "email", "whatsapp", "phone", "social")
CONTACTS = {
    "email": "tanya@example.id",
    "whatsapp": "+6281234567890",
    "phone": "0725 41758",
    "social": "@warga",
}


@dataclass
class CounterConsultation:
    """What a consultant recorded of a walk-in consultation."""

    day: dt.date
    topic: str
    referral: str
    consultant: str  # the consultant's name


@dataclass
class OnlineConsultation:
    """One online consultation as stored, with its first consultant message and its closing."""

    opened: dt.datetime
    topic: str
    consultant: str | None
    first_reply: dt.datetime | None
    clear: dt.datetime | None
    due: dt.datetime | None
    answered: dt.datetime | None
    closed: tuple[str, dt.datetime] | None  # "closed" or "closed_silent", and when
    channel: str = "web"  # where it was asked: the report counts each channel the standard names


def record(
    app: Flask,
    rng: random.Random,
    consultants: list[User],
    ticket_id: int,
    day: dt.date,
    when: dt.datetime,
) -> CounterConsultation:
    """Record a walk-in consultation as its consultant does, just before finishing it."""
    consultant = rng.choice(consultants)
    note = ConsultationNote(rng.choice(TOPICS), "Tabel dan publikasi", rng.choice(REFERRALS))
    with app.extensions["pustaka"].uow() as uow:
        check_record_consultation(uow, consultant, ticket_id, note, when - dt.timedelta(minutes=1))
        uow.commit()
    return CounterConsultation(day, note.topic, note.referral, consultant.name)


def online_consultations(
    app: Flask, rng: random.Random, day: dt.date, reader_id: int, office_id: int, consultants: list[User]
) -> list[OnlineConsultation]:
    """Store a day's online consultations as the consultation flow leaves them."""
    made = []
    for n in range(rng.randint(0, 2)):
        opened = (
            dt.datetime.combine(day, dt.time(7), WIB) + dt.timedelta(minutes=rng.randrange(0, 13 * 60))
        ).astimezone(dt.UTC)
        consultation, consultant = _drawn(rng, opened, consultants)
        _store(app, f"KS-{day:%Y%m%d}-{n + 1:05d}", consultation, reader_id, office_id, consultant)
        made.append(consultation)
    return made


def _drawn(
    rng: random.Random, opened: dt.datetime, consultants: list[User]
) -> tuple[OnlineConsultation, User | None]:
    """Draw how far a consultation opened then got: its consultant, messages, answer and closing."""
    consultant = rng.choice(consultants) if rng.random() < 0.85 else None
    first = clear = due = answered = None
    closed: tuple[str, dt.datetime] | None = None
    if consultant is not None and rng.random() < 0.9:
        first = opened + dt.timedelta(hours=rng.choice((0.5, 4, 30, 70)))
        if rng.random() < 0.75:
            clear = first + dt.timedelta(hours=1)
            due = CALENDAR.add_working_days(clear, 3)
            if rng.random() < 0.8:
                answered = clear + dt.timedelta(hours=rng.choice((2, 20, 60, 120)))
                if rng.random() < 0.5:
                    closed = ("closed", answered + dt.timedelta(hours=24))
        elif rng.random() < 0.6:
            closed = ("closed_silent", first + dt.timedelta(days=8))
    topic = rng.choice(TOPICS)
    name = consultant.name if consultant else None
    channel = rng.choice(CHANNELS)
    return OnlineConsultation(opened, topic, name, first, clear, due, answered, closed, channel), consultant


def _store(
    app: Flask, number: str, made: OnlineConsultation, reader_id: int, office_id: int, consultant: User | None
) -> None:
    """Store the consultation, the user's first message, the consultant's two and its closing."""
    status = "new" if made.first_reply is None else "clarification" if made.clear is None else "clear"
    status = "answered" if made.answered else status
    status = "closed" if made.closed else status
    with app.extensions["pustaka"].uow() as uow:
        row = Consultation(
            number=number,
            user_id=reader_id if made.channel == "web" else None,
            channel=made.channel,
            contact=CONTACTS.get(made.channel, ""),
            office_id=office_id,
            topic=made.topic,
            question="Berapa angka kemiskinan per kecamatan?",
            data_subject="Kemiskinan",
            data_region="Kota Metro",
            data_period="2020-2025",
            status=status,
            consultant_id=consultant.id if consultant else None,
            opened_at=made.opened,
            clear_at=made.clear,
            due_at=made.due,
            answered_at=made.answered,
            closed_at=made.closed[1] if made.closed else None,
        )
        uow.session.add(row)
        uow.session.flush()
        _messages(uow, row.id, made, reader_id, consultant)
        if made.closed is not None:
            action = ConsultationAction(made.closed[0])
            uow.session.add(
                ConsultationEvent(
                    consultation_id=row.id,
                    action=action.value,
                    status="closed",
                    at=made.closed[1],
                    actor_id=None,
                )
            )
        uow.commit()


def _messages(
    uow: UnitOfWork, consultation_id: int, made: OnlineConsultation, reader_id: int, consultant: User | None
) -> None:
    """Store the user's first message (and a notice on an outside channel), then the consultant's two."""
    # The user writes first (not a clarification), then the consultant.
    asker = reader_id if made.channel == "web" else None
    first = ConsultationMessage(consultation_id=consultation_id, author_id=asker, body="Halo", at=made.opened)
    uow.session.add(first)
    if made.channel in ("email", "whatsapp"):  # the acknowledgement: a notice, not a first reply
        notice = ConsultationMessage(
            consultation_id=consultation_id, author_id=None, from_staff=True, body="Diterima", at=made.opened
        )
        uow.session.add(notice)
    if made.first_reply is not None and consultant is not None:
        for moment in (made.first_reply, made.first_reply + dt.timedelta(hours=2)):
            uow.session.add(
                ConsultationMessage(
                    consultation_id=consultation_id,
                    author_id=consultant.id,
                    from_staff=True,
                    body="Baik",
                    at=moment,
                )
            )


def second_consultant(app: Flask) -> User:
    """Add a second consultant, who records some walk-ins and is assigned some online consultations."""
    with app.extensions["pustaka"].uow() as uow:
        person = User(email="sari@bps.go.id", name=SECOND_CONSULTANT, email_verified=True)
        person.role_rows = [UserRole(role=Role.CONSULTANT.value)]
        uow.session.add(person)
        uow.commit()
        _ = person.roles
        uow.session.expunge(person)
    return person

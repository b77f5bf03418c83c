"""The email to the person at each step of their complaint, sent from a job after the commit.

A step queues one `complaint_mail` job naming the history row it added, once its
transaction commits (a rollback sends nothing). The job (interactive lane) reads the
complaint, writes the email in Indonesian then English and hands it to the mail server; a
server that is down fails the job and the queue tries again. The email never carries the
complaint or the answer: it says what changed and links to the status page, where the
person reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from library.clock import day_in_both, office_zone
from library.mail import Mailer, Message, bilingual
from library.models import ComplaintAction, ComplaintEvent
from library.uow import UnitOfWork

# What each step tells the person, in both languages.
NEWS = {
    ComplaintAction.FILED: (
        "Pengaduan Anda sudah kami terima",
        "We have received your complaint",
    ),
    ComplaintAction.STARTED: (
        "Pengaduan Anda sedang kami tangani",
        "We are handling your complaint",
    ),
    ComplaintAction.ANSWERED: (
        "Pengaduan Anda sudah kami jawab",
        "We have answered your complaint",
    ),
    ComplaintAction.CLOSED: (
        "Pengaduan Anda sudah ditutup",
        "Your complaint is closed",
    ),
}


class ComplaintMailQueue(Protocol):
    """Where complaint use cases send the emails they ask for."""

    def complaint_mail(self, event_id: int) -> None:
        """Send the email about one step of a complaint from a job."""


def queue_complaint_mail(uow: UnitOfWork, queue: ComplaintMailQueue, event_id: int) -> None:
    """Queue the email about a step for when the unit of work commits (a rollback sends nothing)."""
    uow.after_commit(lambda: queue.complaint_mail(event_id))


@dataclass(frozen=True)
class ComplaintMailPost:
    """What the complaint-mail job runs with."""

    session_factory: sessionmaker[Session]
    mailer: Mailer
    status_page: Callable[[str], str]  # the public status page, by tracking code
    timezone: str  # the office's: the date in the email is its local day


def send_complaint_mail(post: ComplaintMailPost, event_id: int) -> bool:
    """Write and send the email about one step; return whether one left (raise if mail is down)."""
    with UnitOfWork(post.session_factory) as uow:
        event = uow.session.get(ComplaintEvent, event_id)
        if event is None or not event.complaint.email or ComplaintAction(event.action) not in NEWS:
            return False
        row = event.complaint
        message = complaint_news(
            row.email,
            row.name,
            row.code,
            row.subject,
            ComplaintAction(event.action),
            event.at.astimezone(office_zone(post.timezone)).date(),
            post.status_page(row.code),
        )
    post.mailer.send(message)
    return True


def complaint_news(
    to: str, name: str, code: str, subject: str, action: ComplaintAction, day: dt.date, link: str
) -> Message:
    """Return the email telling the person what happened to their complaint, with its status link."""
    news_id, news_en = NEWS[action]
    when = day_in_both(day)
    return bilingual(
        to,
        f"{news_id} ({code})",
        f"{news_en} ({code})",
        f"""
Halo {name},

{news_id} ({when.indonesian}): "{subject}".
Kode pelacakan Anda: {code}

Lihat status, riwayat dan jawabannya di halaman ini (simpan kodenya; siapa pun yang memegang
tautan ini dapat melihat pengaduan Anda):

{link}
""",
        f"""
Hello {name},

{news_en} ({when.english}): "{subject}".
Your tracking code: {code}

See its status, history and answer on this page (keep the code; whoever holds this link can
see your complaint):

{link}
""",
    )

"""The librarians' alert: a request for a restricted publication has arrived and waits for them.

Sent by a job after the request is committed (`JobQueue.alert_desk`), so the reader's form
never waits for the mail server, to every active account holding the librarian role. The
alert carries what a librarian needs to triage from the inbox (who, what, which pages, why,
the deadline) and the link to the request's desk page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from library.clock import moment_in_both, office_zone
from library.mail import Mailer, Message, bilingual
from library.models import Publication, RequestStatus, Role, SoftcopyRequest, User, UserRole
from library.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeskAlerts:
    """What the alert job runs with: the database, the mailer, and the desk's links."""

    session_factory: sessionmaker[Session]
    mailer: Mailer
    desk_link: Callable[[str], str]  # the desk page of a request, by its number
    timezone: str


def alert_librarians(alerts: DeskAlerts, request_id: int) -> int:
    """Email every librarian that a request waits for their decision; return how many were emailed."""
    with UnitOfWork(alerts.session_factory) as uow:
        row = uow.session.get(SoftcopyRequest, request_id)
        if row is None or row.status != RequestStatus.REVIEW.value:
            return 0  # decided (or gone) before the alert left: nothing to ask for
        requester = uow.session.get(User, row.user_id)
        assert requester is not None
        addresses = librarian_addresses(uow)
        if not addresses:
            log.warning("Request %s waits for a librarian, but no active account has the role.", row.number)
        asked_for = select(Publication.title).where(Publication.id == row.publication_id)
        title = uow.session.scalar(asked_for) or ""
        for address in addresses:
            alerts.mailer.send_after_commit(
                uow,
                request_waiting(
                    address, row, requester, title, alerts.desk_link(row.number), alerts.timezone
                ),
            )
        uow.commit()
        return len(addresses)


def librarian_addresses(uow: UnitOfWork) -> list[str]:
    """Return the addresses of the active accounts holding the librarian role, sorted."""
    return list(
        uow.session.scalars(
            select(User.email)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.LIBRARIAN.value, User.active.is_(True))
            .distinct()
            .order_by(User.email)
        )
    )


def request_waiting(
    to: str, row: SoftcopyRequest, requester: User, title: str, link: str, timezone: str
) -> Message:
    """Tell a librarian a request waits for them: who asks for what, why, by when, and where to answer."""
    due = moment_in_both(row.due_at, office_zone(timezone))
    who = requester.name + (f" ({requester.institution})" if requester.institution else "")
    use = _short(row.intended_use)
    return bilingual(
        to,
        f"Permintaan softcopy menunggu keputusan ({row.number})",
        f"A softcopy request waits for your decision ({row.number})",
        f"""
Permintaan softcopy {row.number} untuk publikasi terbatas menunggu keputusan Anda.

Peminta: {who} <{requester.email}>
Publikasi: {title}
Halaman: {row.page_ranges or "seluruh publikasi"}
Penggunaan: {use}
Batas jawaban: {due.indonesian}

Setujui (seluruhnya atau sebagian halaman) atau tolak di:
{link}
""",
        f"""
Softcopy request {row.number} for a restricted publication waits for your decision.

Requester: {who} <{requester.email}>
Publication: {title}
Pages: {row.page_ranges or "the whole publication"}
Intended use: {use}
Answer due: {due.english}

Approve it (all or some of the pages) or refuse it at:
{link}
""",
    )


def _short(text: str, limit: int = 300) -> str:
    """Return free text on one line, cut at the limit."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"

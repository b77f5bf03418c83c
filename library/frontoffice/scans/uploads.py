"""Printed pages a librarian scans for a walk-in visitor: taken in, then stamped by a job.

The librarian names the visit (picked from today's, or by the ticket's code or QR), says what
was scanned, and gives the file. The file passes every guard ingest applies (type sniffed from
its bytes, size, pages, pixels, password, damage) before anything is stored or recorded, so a
hostile file leaves nothing behind. The master is kept unchanged in the content-addressed
store; the same master twice for one visit is one scan. The stamping job is queued on the
interactive lane after the commit (`run_visitor_scan`, in `scan_copies`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ingest.limits import Limits
from ingest.source import source_files
from library.errors import InvalidField, InvalidInput, NotFound
from library.filestore import FileStore
from library.frontoffice.lockers.stock import office_day, office_of
from library.frontoffice.queue.served_by_machine import SERVED_BY_SCAN, mark_served
from library.frontoffice.terminal.ticket_entry import TicketEntry, parse_ticket_entry
from library.i18n import N_
from library.intake.submit import inspect_source
from library.models import (
    Office,
    Publication,
    QueueService,
    ScanChannel,
    ScanStatus,
    Ticket,
    User,
    Visit,
    VisitorScan,
)
from library.permissions import Actor, require_scan_for_visitors
from library.text import clean_text
from library.uow import UnitOfWork

MIN_TITLE, MAX_TITLE = 3, 500
_MAX_ID_DIGITS = 9  # longer numbers cannot be a row id (and overflow an SQL integer)
# A publication as a librarian gives it: its number ("12", "#12") or its catalogue address.
_PUBLICATION_REF = re.compile(r"(?:#|(?:https?://\S*?)?/katalog/)?(\d+)/?")
LIBRARY_SERVICE = "library"


class ScanQueue(Protocol):
    """Where the scan use cases send the stamping job, after their transaction commits."""

    def visitor_scan(self, scan_id: int) -> None:
        """Make the stamped copy of this visitor's scan."""


@dataclass(frozen=True)
class ScanUpload:
    """What the librarian says about a scan: whose it is and what it is (the file comes apart)."""

    visit_id: int | None = None  # picked from today's visits
    ticket: str = ""  # or the ticket's code (P-007) or its QR, which wins when given
    title: str = ""
    publication_id: int | None = None


@dataclass(frozen=True)
class ScanTaken:
    """What became of a submitted scan."""

    scan_id: int
    created: bool  # False: this visit was given the same file before; that scan stands


def parse_publication_ref(text: str) -> int | None:
    """Return the publication a librarian named (12, #12, …/katalog/12), None for nothing; refuse the rest."""
    value = (text or "").strip()
    if not value:
        return None
    found = _PUBLICATION_REF.fullmatch(value) if len(value) <= 300 else None
    if found is None or len(found[1]) > _MAX_ID_DIGITS or int(found[1]) == 0:
        raise InvalidField(
            "publication", N_("Give the publication's number (such as 12) or its catalogue address.")
        )
    return int(found[1])


def clean_title(text: str) -> str:
    """Return a scan's title on one line; refuse one too short or too long."""
    title = " ".join(clean_text(text or "").split())
    if len(title) < MIN_TITLE:
        raise InvalidField(
            "title", N_("Say what was scanned, such as “Kota Metro Dalam Angka 2019, hlm. 10-12”.")
        )
    if len(title) > MAX_TITLE:
        raise InvalidField("title", N_("Keep the title under %(max)s characters."), max=MAX_TITLE)
    return title


def check_submit_scan(
    uow: UnitOfWork,
    store: FileStore,
    queue: ScanQueue,
    actor: Actor | None,
    upload: ScanUpload,
    source: Path,
    *,
    office_code: str,
    now: dt.datetime,
    limits: Limits,
    original_name: str = "",
    download_cap: int = 3,
    channel: ScanChannel = ScanChannel.UPLOAD,
) -> ScanTaken:
    """Check a scan (visit, title, publication, file), keep its master and queue its stamping.

    It must be the only work of its unit of work: a lost race for the same file rolls back.
    """
    librarian = require_scan_for_visitors(uow, actor)
    office = office_of(uow, office_code)
    visit, ticket = _visit_and_ticket(uow, office, upload, now)
    title = clean_title(upload.title)
    _check_publication(uow, upload.publication_id)
    name = (original_name or source.name)[:255]
    facts = inspect_source(source, limits, name)
    digest, entries = _keep_master(store, source)
    earlier = uow.session.scalar(
        select(VisitorScan.id).where(VisitorScan.visit_id == visit.id, VisitorScan.source_sha256 == digest)
    )
    if earlier is not None:
        return ScanTaken(earlier, created=False)
    scan = VisitorScan(
        visit_id=visit.id,
        ticket_id=ticket.id if ticket else None,
        title=title,
        publication_id=upload.publication_id,
        channel=channel.value,
        source_sha256=digest,
        source_kind=facts.kind.value,
        source_files=entries,
        original_name=name,
        page_count=facts.page_count,
        status=ScanStatus.QUEUED.value,
        created_at=now,
        created_by_id=librarian.id if isinstance(librarian, User) else None,
        download_cap=max(1, download_cap),
    )
    _add_once(uow, scan)
    if ticket is not None:
        mark_served(uow, ticket, now, SERVED_BY_SCAN)  # the library service starts with the scan
    scan_id = scan.id
    uow.after_commit(lambda: queue.visitor_scan(scan_id))
    return ScanTaken(scan_id, created=True)


def _check_publication(uow: UnitOfWork, publication_id: int | None) -> None:
    """Refuse a scan said to be of a publication the catalogue does not have."""
    if publication_id is not None and uow.session.get(Publication, publication_id) is None:
        raise InvalidField("publication", N_("There is no publication number %(id)s."), id=publication_id)


def _keep_master(store: FileStore, source: Path) -> tuple[str, list[dict[str, object]]]:
    """Store the scan's files unchanged; return the master's identity and what each file is."""
    files = source_files(source)
    stored = [store.put_file(path) for path in files]
    entries: list[dict[str, object]] = [
        {"sha256": s.sha256, "name": path.name, "size": s.size} for s, path in zip(stored, files, strict=True)
    ]
    return (stored[0].sha256 if len(stored) == 1 else folder_digest(entries)), entries


def _add_once(uow: UnitOfWork, scan: VisitorScan) -> None:
    """Add the scan; refuse the same file for the same visit sent twice at once (the other one stands)."""
    uow.session.add(scan)
    try:
        uow.session.flush()
    except IntegrityError:
        uow.rollback()
        raise InvalidInput(N_("This scan has just been received; open it from today's scans.")) from None


def folder_digest(entries: list[dict[str, object]]) -> str:
    """Return the identity of several page images: their digests, in order (as ingest names a folder)."""
    return hashlib.sha256("\n".join(str(e["sha256"]) for e in entries).encode()).hexdigest()


def retry_scan(uow: UnitOfWork, queue: ScanQueue, actor: Actor | None, scan_id: int) -> None:
    """Queue the stamping of a failed scan again."""
    require_scan_for_visitors(uow, actor)
    scan = uow.session.get(VisitorScan, scan_id)
    if scan is None:
        raise NotFound(N_("There is no scan number %(id)s."), id=scan_id)
    if scan.status != ScanStatus.FAILED.value:
        raise InvalidInput(N_("Only a scan whose copy could not be made can be tried again."))
    scan.status = ScanStatus.QUEUED.value
    scan.failure_reason = ""
    scan.failure_params = {}
    scan.claimed_at = None
    scan.attempts = 0
    uow.after_commit(lambda: queue.visitor_scan(scan_id))


def visit_for_scan(
    uow: UnitOfWork, office: Office, entry: TicketEntry, now: dt.datetime
) -> tuple[Visit, Ticket | None]:
    """Return today's visit at the office a ticket names (by its code or its QR), with that ticket."""
    day = office_day(office, now)
    if entry.status_token:
        visit = uow.session.scalar(
            select(Visit).where(Visit.status_token == entry.status_token, Visit.office_id == office.id)
        )
        if visit is None or visit.day != day:
            raise InvalidField("ticket", N_("This ticket's QR code is not of a visit today."))
        return visit, _library_ticket(visit)
    ticket = uow.session.scalar(
        select(Ticket)
        .join(QueueService, Ticket.service_id == QueueService.id)
        .where(
            QueueService.office_id == office.id,
            QueueService.letter == entry.letter,
            Ticket.number == entry.number,
            Ticket.day == day,
        )
    )
    if ticket is None:
        raise InvalidField("ticket", N_("No ticket %(code)s was given today."), code=entry.code)
    return ticket.visit, ticket


def _visit_and_ticket(
    uow: UnitOfWork, office: Office, upload: ScanUpload, now: dt.datetime
) -> tuple[Visit, Ticket | None]:
    """Return the visit a scan is for, by its ticket when given, else the one picked (today's only)."""
    if upload.ticket.strip():
        return visit_for_scan(uow, office, parse_ticket_entry(upload.ticket), now)
    if upload.visit_id is None:
        raise InvalidField("visit", N_("Choose the visitor from today's list, or type their ticket's code."))
    visit = uow.session.get(Visit, upload.visit_id)
    if visit is None or visit.office_id != office.id or visit.day != office_day(office, now):
        raise InvalidField("visit", N_("Choose a visitor from today's list."))
    return visit, _library_ticket(visit)


def _library_ticket(visit: Visit) -> Ticket | None:
    """Return the visit's library ticket, else its first, else None."""
    tickets = list(visit.tickets)
    for ticket in tickets:
        if ticket.service.code == LIBRARY_SERVICE:
            return ticket
    return tickets[0] if tickets else None

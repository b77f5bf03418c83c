"""Visitors' scans as people see them: the librarian's list and page, and the visitor's own list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from library.errors import NotFound
from library.frontoffice.lockers.stock import office_day, office_of
from library.frontoffice.scans.copies import copy_sha256
from library.i18n import N_
from library.models import (
    IngestJob,
    IngestStatus,
    LinkState,
    Publication,
    ScanChannel,
    ScanDownload,
    ScanStatus,
    Ticket,
    User,
    Visit,
    VisitorScan,
    link_state,
)
from library.permissions import Actor, require_scan_for_visitors, require_signed_in
from library.uow import UnitOfWork

PICKER_LIMIT = 10


@dataclass(frozen=True)
class ScanRow:
    """One scan in a list."""

    id: int
    title: str
    visitor: str
    ticket: str
    status: ScanStatus
    channel: ScanChannel
    pages: int
    created_at: dt.datetime
    ready_at: dt.datetime | None
    expires_at: dt.datetime | None
    downloads: int
    download_cap: int
    last_download_at: dt.datetime | None = None  # the last counted download (tried again, it counts once)

    def link_state(self, now: dt.datetime) -> LinkState:
        """Say whether a ready copy's link can be used: ok, expired or spent."""
        return link_state(self.expires_at, self.downloads, self.download_cap, now, self.last_download_at)


@dataclass(frozen=True)
class VisitChoice:
    """One of today's visits, as the scan form offers it."""

    id: int
    name: str
    tickets: tuple[str, ...]


@dataclass(frozen=True)
class ScanDesk:
    """The librarian's scanning page: today's scans and today's visits to scan for."""

    office_name: str
    day: dt.date
    scans: tuple[ScanRow, ...]  # newest first
    visits: tuple[VisitChoice, ...]  # newest first


@dataclass(frozen=True)
class ScanView:
    """One scan with everything its page shows."""

    row: ScanRow
    visitor_email: str
    visitor_has_account: bool
    original_name: str
    publication_id: int | None
    publication_title: str
    created_by: str
    failure_reason: str
    failure_params: dict[str, Any]
    delivery_id: str | None
    ingest_job_id: int | None
    ingest_status: IngestStatus | None
    ingest_publication_id: int | None

    @property
    def offered_for_ingest(self) -> bool:
        """Tell whether the scan may still be sent to ingest: no publication named, not sent yet."""
        return self.publication_id is None and self.ingest_job_id is None


def scan_desk(uow: UnitOfWork, actor: Actor | None, office_code: str, now: dt.datetime) -> ScanDesk:
    """Return today's scans and visits at the office, newest first."""
    require_scan_for_visitors(uow, actor)
    office = office_of(uow, office_code)
    day = office_day(office, now)
    visits = uow.session.scalars(
        select(Visit)
        .where(Visit.office_id == office.id, Visit.day == day)
        .order_by(Visit.arrived_at.desc(), Visit.id.desc())
        .options(selectinload(Visit.tickets))
    ).all()
    scans = uow.session.scalars(
        select(VisitorScan)
        .join(Visit, VisitorScan.visit_id == Visit.id)
        .where(Visit.office_id == office.id, Visit.day == day)
        .order_by(VisitorScan.created_at.desc(), VisitorScan.id.desc())
    ).all()
    return ScanDesk(
        office_name=office.name,
        day=day,
        scans=tuple(_rows(uow, scans)),
        visits=tuple(VisitChoice(v.id, v.name, tuple(t.code for t in v.tickets)) for v in visits),
    )


def scan_view(uow: UnitOfWork, actor: Actor | None, scan_id: int) -> ScanView:
    """Return one scan for a librarian."""
    require_scan_for_visitors(uow, actor)
    scan = uow.session.get(VisitorScan, scan_id)
    if scan is None:
        raise NotFound(N_("There is no scan number %(id)s."), id=scan_id)
    visit = scan.visit
    job = uow.session.get(IngestJob, scan.ingest_job_id) if scan.ingest_job_id else None
    title = (
        uow.session.scalar(select(Publication.title).where(Publication.id == scan.publication_id)) or ""
        if scan.publication_id
        else ""
    )
    creator = uow.session.get(User, scan.created_by_id) if scan.created_by_id else None
    return ScanView(
        row=_rows(uow, [scan])[0],
        visitor_email=visit.email,
        visitor_has_account=visit.user_id is not None,
        original_name=scan.original_name,
        publication_id=scan.publication_id,
        publication_title=title,
        created_by=creator.name if creator else "",
        failure_reason=scan.failure_reason,
        failure_params=dict(scan.failure_params or {}),
        delivery_id=scan.delivery_id,
        ingest_job_id=scan.ingest_job_id,
        ingest_status=IngestStatus(job.status) if job else None,
        ingest_publication_id=job.publication_id if job else None,
    )


def list_my_scans(uow: UnitOfWork, actor: Actor | None) -> list[ScanRow]:
    """Return the pages scanned for the signed-in person's visits, newest first."""
    person = require_signed_in(uow, actor, N_("Sign in to see your requests."))
    scans = uow.session.scalars(
        select(VisitorScan)
        .join(Visit, VisitorScan.visit_id == Visit.id)
        .where(Visit.user_id == person.id)
        .order_by(VisitorScan.created_at.desc(), VisitorScan.id.desc())
    ).all()
    return _rows(uow, scans)


@dataclass(frozen=True)
class LibrarianCopy:
    """The stamped copy a librarian prints or hands over (it carries the visitor's marks)."""

    sha256: str
    filename: str


def librarian_copy(uow: UnitOfWork, actor: Actor | None, scan_id: int) -> LibrarianCopy:
    """Return a ready scan's stamped copy for the librarian to print or hand over."""
    require_scan_for_visitors(uow, actor)
    scan = uow.session.get(VisitorScan, scan_id)
    if scan is None:
        raise NotFound(N_("There is no scan number %(id)s."), id=scan_id)
    if scan.status != ScanStatus.READY.value or scan.delivery_id is None:
        raise NotFound(N_("The copy of scan %(id)s is not ready yet."), id=scan_id)
    return LibrarianCopy(copy_sha256(uow, scan.delivery_id), f"pindai-{scan_id}.pdf")


def find_publications(uow: UnitOfWork, actor: Actor | None, text: str) -> list[tuple[int, str]]:
    """Return up to ten publications whose title holds the words, for the scan form's picker."""
    require_scan_for_visitors(uow, actor)
    words = (text or "").strip()[:200]
    if len(words) < 2:
        return []
    rows = uow.session.execute(
        select(Publication.id, Publication.title)
        .where(Publication.title.icontains(words, autoescape=True))
        .order_by(Publication.title, Publication.id)
        .limit(PICKER_LIMIT)
    ).all()
    return [(row.id, row.title) for row in rows]


def _rows(uow: UnitOfWork, scans: list[VisitorScan] | Any) -> list[ScanRow]:
    """Build list rows, reading the visitors and tickets in one query each."""
    scans = list(scans)
    if not scans:
        return []
    names = dict(
        uow.session.execute(
            select(Visit.id, Visit.name).where(Visit.id.in_({s.visit_id for s in scans}))
        ).all()
    )
    ticket_ids = {s.ticket_id for s in scans if s.ticket_id}
    codes = (
        dict(uow.session.execute(select(Ticket.id, Ticket.code).where(Ticket.id.in_(ticket_ids))).all())
        if ticket_ids
        else {}
    )
    downloaded = [s.id for s in scans if s.downloads]
    last = (
        dict(
            uow.session.execute(
                select(ScanDownload.scan_id, func.max(ScanDownload.at))
                .where(ScanDownload.scan_id.in_(downloaded))
                .group_by(ScanDownload.scan_id)
            ).all()
        )
        if downloaded
        else {}
    )
    return [
        ScanRow(
            id=s.id,
            title=s.title,
            visitor=names.get(s.visit_id, ""),
            ticket=codes.get(s.ticket_id, "") if s.ticket_id else "",
            status=ScanStatus(s.status),
            channel=ScanChannel(s.channel),
            pages=s.page_count,
            created_at=s.created_at,
            ready_at=s.ready_at,
            expires_at=s.expires_at,
            downloads=s.downloads,
            download_cap=s.download_cap,
            last_download_at=last.get(s.id),
        )
        for s in scans
    ]

"""The visitor's stamped copy of a scan: made by a job on the interactive lane, then handed over.

`run_visitor_scan` is the job body. It turns page images into a PDF (a PDF is used as it is,
unless it had to be repaired or opened), stamps every page for the visitor (name, masked
email, the visit's ticket, the office, a QR that verifies it), records it in the ledger with
channel "scan" and the visit, marks the scan ready and emails the visitor a link when the visit
has an address. Like a copy job it claims its scan for a lease, so a slow copy is not started
twice, and gives up (failed, with the reason) after a few attempts. `check_scan_download`
authorises one download by the visitor's own account, within the link's cap and expiry.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from ingest.errors import IngestError
from ingest.limits import Limits
from ingest.source import SourceKind, build_base_pdf, inspect
from library.db import changed_rows
from library.errors import NotFound, PustakaError, StorageError
from library.filestore import FileStore
from library.frontoffice.closing import finish_ticket_service
from library.frontoffice.identity import stamped_name
from library.frontoffice.scans.mail import scan_ready
from library.i18n import N_
from library.intake import IngestRefused
from library.jobs import Lease
from library.ledger import Deliverable, Recipient, deliver_file
from library.mail import Mailer
from library.models import (
    Delivery,
    DeliveryChannel,
    Office,
    ScanDownload,
    ScanStatus,
    User,
    Visit,
    VisitorScan,
    retrying,
)
from library.models.base import utcnow
from library.people import FirstPassword, PasswordLinks
from library.permissions import SYSTEM, Actor, may_download_copy, require_signed_in
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
GAVE_UP = N_("The copy could not be made after %(attempts)s attempts; try again.")
UNEXPECTED = N_("The copy could not be made: %(detail)s")


class ScanLinkExpired(PustakaError):
    """The scan's download link's time is over."""


class ScanDownloadsSpent(PustakaError):
    """Every download the scan's link allowed has been used."""


@dataclass(frozen=True)
class ScanWorker:
    """What the scan-stamping job runs with."""

    session_factory: sessionmaker[Session]
    store: FileStore
    mailer: Mailer
    secret: bytes
    verify_base_url: str
    my_requests_link: str  # the visitor's "My requests" page, in the email
    limits: Limits = Limits()
    link_days: int = 7
    timezone: str = "Asia/Jakarta"
    lease: dt.timedelta = dt.timedelta(minutes=2)
    now: Callable[[], dt.datetime] = utcnow
    password_links: PasswordLinks | None = None  # a walk-in's account with no password is sent one


def run_visitor_scan(worker: ScanWorker, scan_id: int) -> str | None:
    """Stamp a scan for its visitor, record it and offer it; return the delivery id (None: not done)."""
    now = worker.now()
    attempt = _claim(worker, scan_id, now)
    if attempt is None:
        return None  # made already, or another worker holds the claim
    if attempt > MAX_ATTEMPTS:
        with UnitOfWork(worker.session_factory) as uow:
            _fail(uow, scan_id, PustakaError(GAVE_UP, attempts=MAX_ATTEMPTS))
            uow.commit()
        return None
    with UnitOfWork(worker.session_factory) as uow:
        scan = uow.session.get(VisitorScan, scan_id)
        if scan is None:
            return None
        try:
            with tempfile.TemporaryDirectory(prefix="pustaka-scan-") as tmp:
                pdf_sha256 = _pdf_of(worker, scan, Path(tmp))
            visit = scan.visit
            record = deliver_file(
                uow,
                worker.store,
                SYSTEM,
                Deliverable(
                    pdf_sha256, scan.title, uow.session.get_one(Office, visit.office_id), scan.publication_id
                ),
                recipient=Recipient(
                    stamped_name(visit.name, visit.identity_check), visit.email, visit.user_id
                ),
                channel=DeliveryChannel.SCAN,
                secret=worker.secret,
                verify_base_url=worker.verify_base_url,
                request_number=scan.ticket.code if scan.ticket else "",
                now=now,
                visit_id=visit.id,
            )
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, the librarian must see why
            log.exception("The copy of visitor scan %s could not be made.", scan_id)
            uow.rollback()  # the work the failed copy left waiting (its mail, index, jobs) goes too
            _fail(uow, scan_id, exc)
            uow.commit()
            return None
        expires = now + dt.timedelta(days=worker.link_days)
        made = uow.session.execute(
            update(VisitorScan)
            .where(VisitorScan.id == scan_id, VisitorScan.status == ScanStatus.QUEUED.value)
            .values(
                status=ScanStatus.READY.value,
                delivery_id=record.delivery_id,
                ready_at=now,
                expires_at=expires,
            )
            .execution_options(synchronize_session=False)
        )
        if changed_rows(made) != 1:
            return None  # another worker finished first: this copy and its ledger row roll back
        if scan.ticket is not None and _started_by(scan):  # done, unless they read on at a terminal
            finish_ticket_service(uow.session, scan.ticket, now)
        if visit.email:
            message = scan_ready(
                visit.email,
                visit.name,
                scan.title,
                worker.my_requests_link,
                expires,
                scan.download_cap,
                worker.timezone,
                first_password=_first_password(worker, uow, visit, now),
            )
            worker.mailer.send_after_commit(uow, message)
        uow.commit()
        return record.delivery_id


def _first_password(
    worker: ScanWorker, uow: UnitOfWork, visit: Visit, now: dt.datetime
) -> FirstPassword | None:
    """Return a link setting the first password of the visit's account if it has none and owns the address."""
    if worker.password_links is None or visit.user_id is None:
        return None
    user = uow.session.get(User, visit.user_id)
    if user is None or user.email.casefold() != visit.email.casefold():
        return None  # such a link goes only to the account's own address
    return worker.password_links.for_account(user, now)


def _claim(worker: ScanWorker, scan_id: int, now: dt.datetime) -> int | None:
    """Take a queued scan for one lease; return the attempt number, or None if it is not ours."""
    lease = Lease(
        VisitorScan.id, VisitorScan.claimed_at, VisitorScan.attempts, worker.lease, VisitorScan.claimed_by
    )
    with UnitOfWork(worker.session_factory) as uow:
        free = (VisitorScan.status == ScanStatus.QUEUED.value) & lease.expired(now)
        attempt = lease.claim(uow, scan_id, free=free, now=now)
        uow.commit()
        return attempt


def _pdf_of(worker: ScanWorker, scan: VisitorScan, tmp: Path) -> str:
    """Return the digest of the PDF the copy is stamped from: the master, one built from it, or its
    access copy: scanned pages are redrawn straight at 200 dpi as JPEG (about 300 KB a page, as
    ingest does for the catalogue's scans), so a visitor is not sent megabytes a page.
    """
    source = master_path(worker.store, scan, tmp)
    try:
        facts = inspect(source, worker.limits)
        if facts.kind is SourceKind.PDF and not (facts.repaired or facts.encrypted):
            base, digest = source, str(scan.source_files[0]["sha256"])
        else:
            base, digest = build_base_pdf(source, facts, tmp / "salinan.pdf", worker.limits), ""
        # Late: it loads PyMuPDF, which commands that never make copies must not pay for.
        from ingest.access import build_access_copy, is_scan

        if is_scan(base):
            build_access_copy(base, tmp / "akses.pdf")
            return worker.store.put_file(on_a4(tmp / "akses.pdf", tmp)).sha256
        on_paper = on_a4(base, tmp)
        if on_paper != base:
            return worker.store.put_file(on_paper).sha256
    except IngestError as exc:
        raise IngestRefused(
            N_("%(name)s cannot be made into a copy: %(detail)s"),
            code=exc.code,
            name=scan.original_name,
            detail=str(exc),
        ) from None
    return digest or worker.store.put_file(base).sha256


def _started_by(scan: VisitorScan) -> bool:
    """Tell whether the scan started its ticket's service (one a counter started, the counter finishes)."""
    ticket = scan.ticket
    return ticket is not None and ticket.served_by_id is None and ticket.served_at == scan.created_at


A4 = (595.28, 841.89)  # points: the paper a visitor's scan is handed over on, whatever the scanner made


def on_a4(path: Path, folder: Path) -> Path:
    """Return the PDF with each page on A4 (upright or turned as the page is), scaled to fit, centred.

    A scanner or a phone gives pages of whatever size its picture and dpi make (219 x 304 mm);
    the visitor is handed A4, as printed pages are. A PDF on A4 already is returned as it is.
    """
    import pymupdf  # late, as above

    with pymupdf.open(path) as source:
        if all(_is_a4(page.rect) for page in source):
            return path
        out = pymupdf.open()
        try:
            for page in source:
                rect = page.rect
                width, height = A4 if rect.height >= rect.width else A4[::-1]
                paper = out.new_page(width=width, height=height)
                scale = min(width / rect.width, height / rect.height)
                w, h = rect.width * scale, rect.height * scale
                left, top = (width - w) / 2, (height - h) / 2
                paper.show_pdf_page(pymupdf.Rect(left, top, left + w, top + h), source, page.number)
            target = folder / "a4.pdf"
            out.save(target, garbage=3, deflate=True)
        finally:
            out.close()
    return target


def _is_a4(rect) -> bool:  # noqa: ANN001 - a PyMuPDF Rect
    """Tell whether a page is A4 (either way round) within a millimetre."""
    sides = sorted((rect.width, rect.height))
    return abs(sides[0] - A4[0]) < 3 and abs(sides[1] - A4[1]) < 3


def master_path(store: FileStore, scan: VisitorScan, folder: Path) -> Path:
    """Lay the stored master out under `folder` as it arrived (a file, or a folder of page images)."""
    entries = scan.source_files
    for entry in entries:
        if not store.exists(str(entry["sha256"])):
            raise StorageError(N_("The scanned file %(name)s is missing from the store."), name=entry["name"])
    if len(entries) == 1:
        target = folder / _safe_name(str(entries[0]["name"]), 0)
        os.symlink(store.path_for(str(entries[0]["sha256"])), target)
        return target
    pages = folder / "halaman"
    pages.mkdir()
    for number, entry in enumerate(entries, start=1):
        os.symlink(
            store.path_for(str(entry["sha256"])),
            pages / f"{number:04d}-{_safe_name(str(entry['name']), number)}",
        )
    return pages


def _safe_name(name: str, number: int) -> str:
    """Return a file name that stays inside its folder."""
    base = Path(name).name.strip(". ")
    return base or f"berkas-{number}"


def _fail(uow: UnitOfWork, scan_id: int, error: BaseException) -> None:
    """Record why the copy could not be made, for the librarian to read (translated) and retry."""
    scan = uow.session.get(VisitorScan, scan_id)
    if scan is None or scan.status != ScanStatus.QUEUED.value:
        return
    if isinstance(error, PustakaError):
        message, params = error.message, {k: str(v) for k, v in error.params.items()}
    else:
        message, params = UNEXPECTED, {"detail": str(error) or type(error).__name__}
    scan.status = ScanStatus.FAILED.value
    scan.failure_reason = message[:2000]
    scan.failure_params = params


def requeue_unstamped(uow: UnitOfWork, older_than: dt.datetime, lease: dt.timedelta) -> list[int]:
    """Return queued scans nobody works on: untouched since before the moment (a lost job), or
    held by a process of this machine that has ended (freed now; the caller commits)."""
    queued = VisitorScan.status == ScanStatus.QUEUED.value
    claims = Lease(
        VisitorScan.id, VisitorScan.claimed_at, VisitorScan.attempts, lease, VisitorScan.claimed_by
    )
    freed = claims.free_the_dead(uow, queued)
    last_touched = func.coalesce(VisitorScan.claimed_at, VisitorScan.created_at)
    lost = uow.session.scalars(select(VisitorScan.id).where(queued, last_touched < older_than))
    return sorted(set(freed) | set(lost))


@dataclass(frozen=True)
class ScanGrant:
    """One authorised download of a scan's stamped copy: which stored file, under which name."""

    sha256: str
    filename: str
    remaining: int


def check_scan_download(
    uow: UnitOfWork, actor: Actor | None, scan_id: int, now: dt.datetime, client_address: str = ""
) -> ScanGrant:
    """Authorise one download of a ready scan by the visitor's own account, count it, say what to send."""
    person = require_signed_in(uow, actor, N_("Sign in to download your softcopy."))
    scan = uow.session.get(VisitorScan, scan_id)
    owner = uow.session.scalar(select(Visit.user_id).where(Visit.id == scan.visit_id)) if scan else None
    if scan is None or owner is None or not may_download_copy(person, owner):
        raise NotFound(N_("There is no scan number %(id)s."), id=scan_id)  # not yours looks like not there
    if scan.status != ScanStatus.READY.value or scan.delivery_id is None:
        raise NotFound(N_("The copy of scan %(id)s is not ready yet."), id=scan_id)
    if scan.expires_at is None or now >= scan.expires_at:
        raise ScanLinkExpired(
            N_("The download link of this scan has expired. Ask the library staff to scan the pages again."),
        )
    last = uow.session.scalar(
        select(func.max(ScanDownload.at)).where(
            ScanDownload.scan_id == scan_id, ScanDownload.user_id == person.id
        )
    )
    if not retrying(last, now):  # else the same download again: its send failed or was cut off
        counted = uow.session.execute(
            update(VisitorScan)
            .where(VisitorScan.id == scan_id, VisitorScan.downloads < VisitorScan.download_cap)
            .values(downloads=VisitorScan.downloads + 1)
            .execution_options(synchronize_session=False)
        )
        if changed_rows(counted) != 1:
            raise ScanDownloadsSpent(
                N_("This scan has been downloaded %(cap)s times, the most its link allows."),
                cap=scan.download_cap,
            )
        uow.session.add(
            ScanDownload(scan_id=scan_id, user_id=person.id, at=now, client_address=client_address[:64])
        )
    uow.session.refresh(scan, ["downloads"])
    return ScanGrant(
        sha256=copy_sha256(uow, scan.delivery_id),
        filename=f"pindai-{scan_id}.pdf",
        remaining=scan.download_cap - scan.downloads,
    )


def copy_sha256(uow: UnitOfWork, delivery_id: str) -> str:
    """Return the digest of a delivery's stamped file."""
    output = uow.session.scalar(select(Delivery.output_sha256).where(Delivery.delivery_id == delivery_id))
    if output is None:
        raise NotFound(N_("The stamped copy is not in the ledger."))
    return output

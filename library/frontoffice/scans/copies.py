"""The visitor's stamped copy of a scan: made by a job on the interactive lane, then handed over.

`run_visitor_scan` is the job body. It turns page images into a PDF (a PDF is used as it is,
unless it had to be repaired or opened), stamps every page for the visitor (name, masked
email, the visit's ticket, the office, a QR that verifies it), records it in the ledger with
channel "scan" and the visit, marks the scan ready and emails the visitor a link when the visit
has an address. It runs as a softcopy request's copy does (`library.ledger.run_copy_job`): it
claims its scan for a lease, so a slow copy is not started twice, tries a passing fault again,
and gives up (failed, with the reason) after a few attempts. `check_scan_download`
authorises one download by the visitor's own account, within the link's cap and expiry.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from ingest.limits import Limits
from library.accounts.first_password import FirstPassword, PasswordLinks
from library.db import changed_rows
from library.errors import NotFound, PustakaError, stored_params
from library.filestore import FileStore
from library.frontoffice.identity import stamped_name
from library.frontoffice.queue.served_by_machine import finish_ticket_service
from library.frontoffice.scans.mail import scan_ready
from library.frontoffice.scans.source_pdf import source_pdf
from library.i18n import N_
from library.leases import Lease
from library.ledger.copy_jobs import MAX_ATTEMPTS, run_copy_job
from library.ledger.deliveries import Deliverable, DeliveryOrder, DeliveryRecord, Recipient, deliver_file
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
from library.permissions import SYSTEM, Actor, may_download_copy, require_signed_in
from library.quality.walk_in import SurveyMailQueue, invite_after_service
from library.uow import UnitOfWork
from watermark.errors import WatermarkError

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
    now: Callable[[], dt.datetime]  # the process's clock, from the caller
    limits: Limits = Limits()
    link_days: int = 7
    timezone: str = "Asia/Jakarta"
    lease: dt.timedelta = dt.timedelta(minutes=2)
    retry_pause: float = 1.0  # seconds before trying a copy again after an unexpected error
    password_links: PasswordLinks | None = None  # a walk-in's account with no password is sent one
    survey_mail: SurveyMailQueue | None = None  # where the visitor's invitation to rate is emailed


def run_visitor_scan(worker: ScanWorker, scan_id: int) -> str | None:
    """Stamp a scan for its visitor, record it and offer it; return the delivery id (None: not done).

    A passing fault is tried again under the same claim, as a softcopy request's copy is
    (`library.ledger.run_copy_job`); a damaged file fails at once.
    """
    return run_copy_job(_ScanCopy(worker), scan_id)


@dataclass(frozen=True)
class _ScanCopy:
    """The copy of a visitor's scan, as `run_copy_job` makes it."""

    worker: ScanWorker

    def describe(self, row_id: int) -> str:
        """Name the scan in the log."""
        return f"visitor scan {row_id}"

    def claim(self, row_id: int) -> int | None:
        """Take the queued scan for one lease."""
        return _claim(self.worker, row_id, self.worker.now())

    def renew(self, row_id: int) -> None:
        """Start the claim's lease again."""
        with UnitOfWork(self.worker.session_factory) as uow:
            uow.session.execute(
                update(VisitorScan)
                .where(VisitorScan.id == row_id, VisitorScan.status == ScanStatus.QUEUED.value)
                .values(claimed_at=self.worker.now())
                .execution_options(synchronize_session=False)
            )
            uow.commit()

    def load(self, uow: UnitOfWork, row_id: int) -> VisitorScan | None:
        """Return the scan, or None if it is gone."""
        return uow.session.get(VisitorScan, row_id)

    def stamp(self, uow: UnitOfWork, scan: VisitorScan, now: dt.datetime) -> DeliveryRecord:
        """Make the scan's PDF, stamp it for the visitor and add the copy to the ledger."""
        worker = self.worker
        with tempfile.TemporaryDirectory(prefix="pustaka-scan-") as tmp:
            pdf_sha256 = source_pdf(worker.store, worker.limits, scan, Path(tmp))
        visit = scan.visit
        what = Deliverable(
            pdf_sha256, scan.title, uow.session.get_one(Office, visit.office_id), scan.publication_id
        )
        order = DeliveryOrder(
            recipient=Recipient(stamped_name(visit.name, visit.identity_check), visit.email, visit.user_id),
            channel=DeliveryChannel.SCAN,
            secret=worker.secret,
            verify_base_url=worker.verify_base_url,
            request_number=scan.ticket.code if scan.ticket else "",
            delivered_at=now,
            visit_id=visit.id,
        )
        return deliver_file(uow, worker.store, SYSTEM, what, order)

    def finish(self, uow: UnitOfWork, scan: VisitorScan, record: DeliveryRecord, now: dt.datetime) -> bool:
        """Mark the scan ready, finish its ticket's service and mail the visitor the link."""
        return _mark_ready(self.worker, uow, scan, record, now)

    def fail(self, uow: UnitOfWork, row_id: int, error: Exception, now: dt.datetime) -> None:
        """Record the error as the reason, translated where it is the library's own."""
        _fail(uow, row_id, error)

    def give_up(self, uow: UnitOfWork, row_id: int, now: dt.datetime) -> None:
        """Record that the copy failed after every claim."""
        _fail(uow, row_id, PustakaError(GAVE_UP, attempts=MAX_ATTEMPTS))


def _mark_ready(
    worker: ScanWorker, uow: UnitOfWork, scan: VisitorScan, record: DeliveryRecord, now: dt.datetime
) -> bool:
    """Mark the scan ready with its copy and mail the visitor; False if another worker finished first."""
    expires = now + dt.timedelta(days=worker.link_days)
    made = uow.session.execute(
        update(VisitorScan)
        .where(VisitorScan.id == scan.id, VisitorScan.status == ScanStatus.QUEUED.value)
        .values(
            status=ScanStatus.READY.value,
            delivery_id=record.delivery_id,
            ready_at=now,
            expires_at=expires,
        )
        .execution_options(synchronize_session=False)
    )
    if changed_rows(made) != 1:
        return False  # another worker finished first: this copy and its ledger row roll back
    if scan.ticket is not None and _started_by(scan):  # done, unless they read on at a terminal
        if finish_ticket_service(uow.session, scan.ticket, now):
            invite_after_service(uow, scan.ticket, now, worker.survey_mail)  # the scan was the service
    visit = scan.visit
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
    return True


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


def _started_by(scan: VisitorScan) -> bool:
    """Tell whether the scan started its ticket's service (one a counter started, the counter finishes)."""
    ticket = scan.ticket
    return ticket is not None and ticket.served_by_id is None and ticket.served_at == scan.created_at


def _fail(uow: UnitOfWork, scan_id: int, error: BaseException) -> None:
    """Record why the copy could not be made, for the librarian to read (translated) and retry."""
    scan = uow.session.get(VisitorScan, scan_id)
    if scan is None or scan.status != ScanStatus.QUEUED.value:
        return
    if isinstance(error, PustakaError | WatermarkError):
        message, params = error.message, stored_params(error.params)
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

"""Making the stamped copy of an approved softcopy request, and finding requests left unmade.

`prepare_copy` is the job body: it stamps the copy, adds it to the ledger and marks the
request ready in one transaction that only commits while the request is still approved,
so two workers racing on one request leave one ledger row; `requeue_unprepared` finds the
approved requests nobody works on. The copy's download is `library.softcopy.downloads`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from library.accounts.first_password import PasswordLinks
from library.db import changed_rows
from library.errors import PustakaError, stored_params
from library.filestore import FileStore
from library.frontoffice.identity import stamped_name
from library.i18n import N_
from library.leases import Lease
from library.ledger.copy_jobs import MAX_ATTEMPTS, run_copy_job
from library.ledger.deliveries import DeliveryOrder, DeliveryRecord, Recipient, deliver_copy
from library.mail import Mailer
from library.models import (
    DeliveryChannel,
    Office,
    RequestEvent,
    RequestStatus,
    ServiceKind,
    SoftcopyRequest,
    SurveyChannel,
    User,
    Visit,
)
from library.permissions import SYSTEM
from library.quality.respondents import of_account as account_respondent
from library.quality.survey import invite, request_event
from library.softcopy.mail import copy_ready
from library.softcopy.page_ranges import parse_page_ranges
from library.uow import UnitOfWork
from watermark.errors import WatermarkError

# After the template's "The copy could not be made:".
GAVE_UP = N_("gave up after %(attempts)s attempts")


@dataclass(frozen=True)
class CopyWorker:
    """What the copy-making job runs with."""

    session_factory: sessionmaker[Session]
    store: FileStore
    mailer: Mailer
    secret: bytes
    verify_base_url: str
    request_link: Callable[[str], str]
    now: Callable[[], dt.datetime]  # the process's clock, from the caller
    link_days: int = 7
    timezone: str = "Asia/Jakarta"
    lease: dt.timedelta = dt.timedelta(minutes=2)
    retry_pause: float = 1.0  # seconds before trying a copy again after an unexpected error
    survey_link: Callable[[str], str] | None = None  # the SKM survey's address for an invitation
    password_links: PasswordLinks | None = None  # a walk-in's account with no password is sent one


def prepare_copy(worker: CopyWorker, request_id: int) -> str | None:
    """Stamp the copy of an approved request and make it downloadable; return the delivery id.

    An unexpected error (not the file, not the request: a passing fault of this process, such
    as a module still loading in another thread) is tried again `library.ledger.RETRIES` times
    under the same claim before the request fails; a damaged file or a broken rule fails at once.
    """
    return run_copy_job(_RequestCopy(worker), request_id)


@dataclass(frozen=True)
class _Claimed:
    """An approved request whose copy is being made, and the person it is for."""

    row: SoftcopyRequest
    user: User
    name: str  # as stamped: asked at a terminal, it says how the visitor's name was checked


@dataclass(frozen=True)
class _RequestCopy:
    """The copy of an approved softcopy request, as `run_copy_job` makes it."""

    worker: CopyWorker

    def describe(self, row_id: int) -> str:
        """Name the request in the log."""
        return f"request {row_id}"

    def claim(self, row_id: int) -> int | None:
        """Take the approved request for one lease."""
        return _claim(self.worker, row_id, self.worker.now())

    def renew(self, row_id: int) -> None:
        """Start the claim's lease again."""
        _renew_claim(self.worker, row_id)

    def load(self, uow: UnitOfWork, row_id: int) -> _Claimed | None:
        """Return the request and its owner, or None if either is gone."""
        row = uow.session.get(SoftcopyRequest, row_id)
        user = uow.session.get(User, row.user_id) if row else None
        if row is None or user is None:
            return None
        visit = uow.session.get(Visit, row.visit_id) if row.visit_id is not None else None
        # Asked at a terminal: the stamp says how the visitor's name was checked.
        name = stamped_name(user.name, visit.identity_check) if visit is not None else user.name
        return _Claimed(row, user, name)

    def stamp(self, uow: UnitOfWork, claimed: _Claimed, now: dt.datetime) -> DeliveryRecord:
        """Stamp the approved pages for the request's owner and add the copy to the ledger."""
        row, worker = claimed.row, self.worker
        order = DeliveryOrder(
            recipient=Recipient(claimed.name, claimed.user.email, claimed.user.id),
            channel=DeliveryChannel.TERMINAL if row.visit_id else DeliveryChannel.ONLINE,
            secret=worker.secret,
            verify_base_url=worker.verify_base_url,
            request_number=row.number,
            client_address=row.client_address,
            delivered_at=now,
            pages=_pages(row),
            visit_id=row.visit_id,
        )
        return deliver_copy(uow, worker.store, SYSTEM, row.publication_id, order, office_code=row.office_code)

    def finish(self, uow: UnitOfWork, claimed: _Claimed, record: DeliveryRecord, now: dt.datetime) -> bool:
        """Mark the request ready, invite its owner to the survey and mail the link."""
        return _mark_ready(self.worker, uow, claimed, record, now)

    def fail(self, uow: UnitOfWork, row_id: int, error: Exception, now: dt.datetime) -> None:
        """Record the reason: a refusal's or the engine's words (translated where shown), else its text."""
        if isinstance(error, PustakaError | WatermarkError):
            _fail(uow, row_id, error.message, stored_params(error.params), now)
        else:
            _fail(uow, row_id, str(error) or type(error).__name__, {}, now)

    def give_up(self, uow: UnitOfWork, row_id: int, now: dt.datetime) -> None:
        """Record that the copy failed after every claim."""
        _fail(uow, row_id, GAVE_UP, {"attempts": str(MAX_ATTEMPTS)}, now)


def _renew_claim(worker: CopyWorker, request_id: int) -> None:
    """Start the claim's lease again, so no other worker takes the request while this one tries."""
    with UnitOfWork(worker.session_factory) as uow:
        uow.session.execute(
            update(SoftcopyRequest)
            .where(SoftcopyRequest.id == request_id, SoftcopyRequest.status == RequestStatus.APPROVED.value)
            .values(copy_claimed_at=worker.now())
            .execution_options(synchronize_session=False)
        )
        uow.commit()


def _mark_ready(
    worker: CopyWorker, uow: UnitOfWork, claimed: _Claimed, record: DeliveryRecord, now: dt.datetime
) -> bool:
    """Mark the request ready with its copy and mail the link; False if it is no longer approved."""
    row, user, request_id = claimed.row, claimed.user, claimed.row.id
    expires = now + dt.timedelta(days=worker.link_days)
    claimed_row = uow.session.execute(
        update(SoftcopyRequest)
        .where(SoftcopyRequest.id == request_id, SoftcopyRequest.status == RequestStatus.APPROVED.value)
        .values(
            status=RequestStatus.READY.value,
            delivery_id=record.delivery_id,
            ready_at=now,
            expires_at=expires,
        )
        .execution_options(synchronize_session=False)
    )
    if changed_rows(claimed_row) != 1:
        return False  # refused meanwhile, or another worker finished first: this copy rolls back
    uow.session.add(RequestEvent(request_id=request_id, status=RequestStatus.READY.value, at=now))
    survey = _invite_to_survey(uow, row, now)
    worker.mailer.send_after_commit(
        uow,
        copy_ready(
            user.email,
            user.name,
            row.number,
            record.publication_title,
            worker.request_link(row.number),
            expires,
            row.download_cap,
            worker.timezone,
            note=_decision_note(uow, request_id),
            survey_link=worker.survey_link(survey) if survey and worker.survey_link else "",
            first_password=worker.password_links.for_account(user, now) if worker.password_links else None,
        ),
    )
    return True


def _invite_to_survey(uow: UnitOfWork, row: SoftcopyRequest, now: dt.datetime) -> str | None:
    """Invite the person to rate the library's service for this copy; return the link's secret."""
    office_id = uow.session.scalar(select(Office.id).where(Office.code == row.office_code))
    if office_id is None:
        return None
    event = request_event(row.number)
    return invite(
        uow,
        office_id=office_id,
        service=ServiceKind.LIBRARY,
        channel=SurveyChannel.SOFTCOPY,
        event_key=event,
        now=now,
        respondent=account_respondent(uow.session.get(User, row.user_id)),
    )


def _claim(worker: CopyWorker, request_id: int, now: dt.datetime) -> int | None:
    """Take an approved request for one lease; return the attempt number, or None if not ours."""
    lease = Lease(
        SoftcopyRequest.id,
        SoftcopyRequest.copy_claimed_at,
        SoftcopyRequest.copy_attempts,
        worker.lease,
        SoftcopyRequest.copy_claimed_by,
    )
    with UnitOfWork(worker.session_factory) as uow:
        free = (SoftcopyRequest.status == RequestStatus.APPROVED.value) & lease.expired(now)
        attempt = lease.claim(uow, request_id, free=free, now=now)
        uow.commit()
        return attempt


def _pages(row: SoftcopyRequest) -> tuple[int, ...]:
    """Return the 1-based pages the copy holds (those approved); empty for the whole publication."""
    if not row.ranges_to_copy:
        return ()
    _, pages = parse_page_ranges(row.ranges_to_copy, 10**6)
    return pages


def _decision_note(uow: UnitOfWork, request_id: int) -> str:
    """Return the note the librarian wrote when approving the request (the latest one), if any."""
    note = uow.session.scalar(
        select(RequestEvent.note)
        .where(
            RequestEvent.request_id == request_id,
            RequestEvent.status == RequestStatus.APPROVED.value,
        )
        .order_by(RequestEvent.at.desc(), RequestEvent.id.desc())
        .limit(1)
    )
    return (note or "").strip()


def _fail(uow: UnitOfWork, request_id: int, reason: str, params: dict[str, object], now: dt.datetime) -> None:
    """Record that the copy could not be made, for a librarian to see (with the reason) and retry."""
    row = uow.session.get(SoftcopyRequest, request_id)
    if row is None or row.status != RequestStatus.APPROVED.value:
        return
    row.failure_reason = reason[:2000]
    row.failure_params = params
    row.move_to(RequestStatus.FAILED, now, None)  # the technical reason is for staff, not the history


def requeue_unprepared(uow: UnitOfWork, older_than: dt.datetime, lease: dt.timedelta) -> list[int]:
    """Return approved requests nobody works on: untouched since before the moment (a lost job),
    or held by a process of this machine that has ended (freed now; the caller commits)."""
    approved = SoftcopyRequest.status == RequestStatus.APPROVED.value
    claims = Lease(
        SoftcopyRequest.id,
        SoftcopyRequest.copy_claimed_at,
        SoftcopyRequest.copy_attempts,
        lease,
        SoftcopyRequest.copy_claimed_by,
    )
    freed = claims.free_the_dead(uow, approved)
    last_touched = func.coalesce(SoftcopyRequest.copy_claimed_at, SoftcopyRequest.decided_at)
    lost = uow.session.scalars(select(SoftcopyRequest.id).where(approved, last_touched < older_than))
    return sorted(set(freed) | set(lost))

"""Taking a file in: check it, keep the master, and queue the ingest job.

Every way in (the librarian's form, a CSV batch, the hot folder, `pustaka ingest`) calls
`check_submit`. A file the engine refuses is refused here, before anything is stored or
recorded: a hostile file leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ingest.errors import IngestError
from ingest.limits import Limits
from ingest.metadata import katalog_bps_from_filename
from ingest.source import SourceFacts, inspect, source_files
from library.errors import InvalidInput
from library.filestore import FileStore
from library.i18n import N_
from library.intake.drafts import check_draft
from library.job_queue import JobQueue
from library.models import (
    FileAsset,
    FileRole,
    IngestChannel,
    IngestJob,
    IngestStatus,
    Publication,
    User,
)
from library.permissions import Actor, require_ingest
from library.uow import UnitOfWork

# The engine's English messages are for logs; people read these, translated.
REFUSALS = {
    "empty_file": N_("%(name)s is empty (0 bytes): copy or scan it again."),
    "empty_folder": N_("The folder %(name)s holds no page images."),
    "unsupported_type": N_("%(name)s is not a PDF, TIFF, JPEG or PNG file; save it in one of those formats."),
    "mixed_folder": N_(
        "The folder %(name)s holds files that are not page images (JPEG, PNG or TIFF); "
        "take them out and try again."
    ),
    "too_large": N_("%(name)s is larger than the limit of %(limit_mb)s MB; split it."),
    "too_many_pages": N_("%(name)s has more than %(limit)s pages; split it."),
    "too_many_pixels": N_("An image in %(name)s is far too large to open safely; scan it at 300-600 dpi."),
    "stream_too_large": N_(
        "%(name)s holds data that inflates to more than %(stream_limit_mb)s MB, which every copy would "
        "carry; export it again from its source or print it to a new PDF."
    ),
    "encrypted": N_("%(name)s is protected by a password; save an unprotected copy and try again."),
    "damaged": N_("%(name)s is damaged and could not be repaired; get a fresh copy of the file."),
    "no_pages": N_("%(name)s has no pages."),
    "ocr_failed": N_("The text of %(name)s could not be read (OCR failed): %(detail)s"),
}


class IngestRefused(InvalidInput):
    """A file the library will not take in, with the reason; nothing was stored."""

    def __init__(self, message: str, *, code: str, **params: object) -> None:
        super().__init__(message, **params)
        self.code = code


class AlreadyIngested(InvalidInput):
    """The same file is already in the library."""

    def __init__(self, message: str, *, publication_id: int | None, **params: object) -> None:
        super().__init__(message, **params)
        self.publication_id = publication_id


@dataclass(frozen=True)
class Submission:
    """What became of a submitted file."""

    job_id: int
    status: IngestStatus
    name: str
    page_count: int
    origin: str
    retried: bool = False
    already_queued: bool = False


def ingest_limits(max_mb: int, max_pages: int) -> Limits:
    """Return the engine limits for the configured sizes."""
    return Limits(max_bytes=max_mb * 1024 * 1024, max_pages=max_pages)


def refusal(exc: IngestError, name: str, limits: Limits) -> IngestRefused:
    """Turn an engine error into a refusal a person can act on."""
    message = REFUSALS.get(exc.code, N_("%(name)s cannot be taken in: %(detail)s"))
    return IngestRefused(
        message,
        code=exc.code,
        name=name,
        detail=str(exc),
        limit_mb=limits.max_bytes // (1024 * 1024),
        limit=limits.max_pages,
        stream_limit_mb=limits.max_stream_bytes // 2**20,
    )


def inspect_source(path: Path, limits: Limits, name: str | None = None) -> SourceFacts:
    """Run every guard of the engine on a file or folder, refusing it with a clear message."""
    try:
        return inspect(path, limits)
    except IngestError as exc:
        raise refusal(exc, name or path.name, limits) from None


def check_submit(
    uow: UnitOfWork,
    store: FileStore,
    queue: JobQueue,
    actor: Actor | None,
    source: Path,
    *,
    channel: IngestChannel,
    limits: Limits,
    draft: Mapping[str, Any] | None = None,
    original_name: str | None = None,
    publication_id: int | None = None,
    now: dt.datetime,
) -> Submission:
    """Check a file or folder, keep its master and queue its ingest (after the commit).

    It must be the only work of its unit of work: a lost race for the same file rolls back.
    """
    requester = require_ingest(uow, actor)
    name = original_name or source.name
    checked = check_draft(uow, draft or {})
    facts = inspect_source(source, limits, name)
    files = source_files(source)
    stored = [store.put_file(path) for path in files]
    entries = [
        {"sha256": s.sha256, "name": path.name, "size": s.size} for s, path in zip(stored, files, strict=True)
    ]
    digest = stored[0].sha256 if len(stored) == 1 else _folder_digest(entries)
    existing = uow.session.scalar(select(IngestJob).where(IngestJob.source_sha256 == digest))
    if existing is not None:
        return _resubmitted(uow, queue, existing, name, checked, facts, now)
    job = IngestJob(
        source_sha256=digest,
        source_kind=facts.kind.value,
        media_type=facts.media_type,
        source_files=entries,
        original_name=name[:255],
        channel=channel.value,
        draft=checked,
        publication_id=publication_id
        or (_matching_publication(uow, name) if channel is IngestChannel.HOT_FOLDER else None),
        requested_by_id=requester.id if isinstance(requester, User) else None,
        status=IngestStatus.QUEUED.value,
        pages_total=facts.page_count,
        notes=[N_("The PDF was damaged and has been repaired.")] if facts.repaired else [],
    )
    uow.session.add(job)
    try:
        uow.session.flush()
    except IntegrityError:
        # Another submission of the same file won the race: it is queued already. (No
        # savepoint: pysqlite's are unreliable; a submission is its unit of work's only work.)
        uow.rollback()
        raise AlreadyIngested(
            N_("%(name)s is already being taken in."), publication_id=None, name=name
        ) from None
    job_id = job.id
    uow.after_commit(lambda: queue.ingest(job_id))
    return Submission(job_id, IngestStatus.QUEUED, name, facts.page_count, facts.origin)


def _resubmitted(
    uow: UnitOfWork,
    queue: JobQueue,
    job: IngestJob,
    name: str,
    draft: dict[str, str],
    facts: SourceFacts,
    now: dt.datetime,
) -> Submission:
    """Handle a file seen before: refuse a finished one, retry a failed one, keep a queued one."""
    status = IngestStatus(job.status)
    if status is IngestStatus.READY:
        raise AlreadyIngested(
            N_("%(name)s is already in the library (publication %(id)s)."),
            publication_id=job.publication_id,
            name=name,
            id=job.publication_id,
        )
    if status is IngestStatus.FAILED:
        if draft:
            job.draft = draft
        _requeue(job, now)
        job_id = job.id
        uow.after_commit(lambda: queue.ingest(job_id))
        return Submission(job.id, IngestStatus.QUEUED, name, facts.page_count, facts.origin, retried=True)
    return Submission(job.id, status, name, facts.page_count, facts.origin, already_queued=True)


def retry_job(
    uow: UnitOfWork, queue: JobQueue, actor: Actor | None, job_id: int, *, now: dt.datetime
) -> None:
    """Queue a failed job again; the pages it finished are kept."""
    require_ingest(uow, actor)
    job = uow.session.get(IngestJob, job_id)
    if job is None:
        raise InvalidInput(N_("There is no ingest job number %(id)s."), id=job_id)
    if job.status != IngestStatus.FAILED.value:
        raise InvalidInput(N_("Only a failed job can be tried again."))
    _requeue(job, now)
    uow.after_commit(lambda: queue.ingest(job_id))


def _requeue(job: IngestJob, now: dt.datetime) -> None:
    """Put a job back in the queue, forgetting its last error."""
    job.status = IngestStatus.QUEUED.value
    job.error_code = ""
    job.error_message = ""
    job.error_params = {}
    job.claimed_by = ""
    job.heartbeat_at = None
    job.finished_at = None
    job.created_at = now


def _folder_digest(entries: list[dict[str, Any]]) -> str:
    """Return the identity of a folder of page images: its images' digests, in order."""
    joined = "\n".join(entry["sha256"] for entry in entries)
    return hashlib.sha256(joined.encode()).hexdigest()


def _matching_publication(uow: UnitOfWork, name: str) -> int | None:
    """Return the record a scanned file belongs to, by the Katalog BPS number in its name.

    A Katalog BPS number names a series (every year's "Dalam Angka" shares one), so a year
    in the name narrows the choice, and a record still waiting for its file is preferred.
    Only a single remaining candidate is a match; otherwise the file makes a new record.
    """
    katalog = katalog_bps_from_filename(name)
    if not katalog:
        return None
    candidates = uow.session.scalars(
        select(Publication).where(Publication.katalog_bps == katalog).order_by(Publication.id)
    ).all()
    years = {int(y) for y in re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", name.replace(katalog, ""))}
    if years:
        candidates = [p for p in candidates if p.year in years or p.reference_period in map(str, years)]
    with_files = set(
        uow.session.scalars(
            select(FileAsset.publication_id).where(
                FileAsset.publication_id.in_([p.id for p in candidates]),
                FileAsset.role == FileRole.MASTER.value,
            )
        )
    )
    waiting = [p for p in candidates if p.id not in with_files]
    chosen = waiting or candidates
    return chosen[0].id if len(chosen) == 1 else None

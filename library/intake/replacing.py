"""Replacing a publication's file with a corrected edition: its next version, taken in as any file is.

The new file passes every check of intake (`check_submit`: damaged, protected, huge or hostile
files are refused before anything is stored) and its ingest job does what it does for a new
file: text from the layer or by OCR, the access copy, the thumbnail, the page texts and the
search index, now the new file's. The job's publication is this one, so on success the version
is recorded (`library.file_versions.record_version`, with the reason carried in the job's
draft) and becomes current; until then, and if it fails, the current version stays as it was.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from ingest.limits import Limits
from library.errors import InvalidField, NotFound
from library.filestore import FileStore
from library.i18n import N_
from library.intake.publishing import REASON
from library.intake.submit import AlreadyIngested, Submission, check_submit
from library.job_queue import JobQueue
from library.models import IngestChannel, IngestJob, IngestStatus, Publication
from library.permissions import Actor, require_edit_publications
from library.text import clean_text
from library.uow import UnitOfWork

REASON_LIMIT = 500
UNDER_WAY = (IngestStatus.QUEUED.value, IngestStatus.PROCESSING.value)


def check_replace(
    uow: UnitOfWork,
    store: FileStore,
    queue: JobQueue,
    actor: Actor | None,
    publication_id: int,
    source: Path,
    *,
    reason: str,
    limits: Limits,
    original_name: str | None = None,
    now: dt.datetime,
) -> Submission:
    """Check a corrected file and queue its ingest as the publication's next version (after the commit).

    It must be the only work of its unit of work, as `check_submit` says.
    """
    require_edit_publications(uow, actor)
    if uow.session.get(Publication, publication_id) is None:
        raise NotFound(N_("There is no publication number %(id)s."), id=publication_id)
    reason = _checked_reason(reason)
    if _replacement_under_way(uow, publication_id):
        raise InvalidField(
            "berkas", N_("A new file for this publication is already being taken in; wait until it is ready.")
        )
    submission = check_submit(
        uow,
        store,
        queue,
        actor,
        source,
        channel=IngestChannel.UPLOAD,
        limits=limits,
        original_name=original_name,
        publication_id=publication_id,
        now=now,
    )
    job = uow.session.get(IngestJob, submission.job_id)
    assert job is not None
    if submission.already_queued or job.publication_id not in (None, publication_id):
        raise AlreadyIngested(
            N_("%(name)s is already being taken in."), publication_id=job.publication_id, name=submission.name
        )
    job.publication_id = publication_id  # a failed job of the same file, tried again for this one
    job.draft = {**(job.draft or {}), REASON: reason}
    return submission


def _checked_reason(reason: str) -> str:
    """Return the replacement's reason, tidied; refuse none or one too long."""
    reason = " ".join(clean_text(reason).split())
    if not reason:
        raise InvalidField("alasan", N_("Say why the file is replaced, for example what was corrected."))
    if len(reason) > REASON_LIMIT:
        raise InvalidField(
            "alasan", N_("The reason is longer than %(limit)s characters."), limit=REASON_LIMIT
        )
    return reason


def _replacement_under_way(uow: UnitOfWork, publication_id: int) -> bool:
    """Tell whether a file for the publication is queued or being taken in now."""
    under_way = select(IngestJob.id).where(
        IngestJob.publication_id == publication_id, IngestJob.status.in_(UNDER_WAY)
    )
    return uow.session.scalar(under_way.limit(1)) is not None

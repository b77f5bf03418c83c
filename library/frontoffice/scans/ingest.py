"""A visitor's scan offered to the collection: the same master sent on to ingest as a new draft.

When the librarian named no catalogued publication, the pages just scanned may be the only
digital copy of it. Sending them on does not copy ingest: the master, laid out as it arrived,
goes through intake's own `check_submit` (its checks, its one job per file, its OCR), with
the scan's title as the draft's title. The scan remembers the job.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from ingest.limits import Limits
from library.errors import InvalidInput, NotFound
from library.filestore import FileStore
from library.frontoffice.scans.source_pdf import master_path
from library.i18n import N_
from library.intake.submit import check_submit
from library.job_queue import JobQueue
from library.models import IngestChannel, User, VisitorScan
from library.permissions import Actor, require_ingest, require_scan_for_visitors
from library.uow import UnitOfWork


def check_send_scan_to_ingest(
    uow: UnitOfWork,
    store: FileStore,
    queue: JobQueue,
    actor: Actor | None,
    scan_id: int,
    *,
    limits: Limits,
    now: dt.datetime,
) -> int:
    """Send a scan's master to ingest as a new publication's draft; return the ingest job's id.

    It must be the only work of its unit of work (as `check_submit` requires). Raises
    `AlreadyIngested` (from intake) when the same file is in the library already.
    """
    person = require_scan_for_visitors(uow, actor)
    require_ingest(uow, actor)
    scan = uow.session.get(VisitorScan, scan_id)
    if scan is None:
        raise NotFound(N_("There is no scan number %(id)s."), id=scan_id)
    if scan.publication_id is not None:
        raise InvalidInput(N_("These pages come from a publication the catalogue already holds."))
    if scan.ingest_job_id is not None:
        raise InvalidInput(N_("This scan has already been sent to ingest."))
    title, name = scan.title, scan.original_name
    with tempfile.TemporaryDirectory(prefix="pustaka-scan-ingest-") as tmp:
        source = master_path(store, scan, Path(tmp))
        submission = check_submit(
            uow,
            store,
            queue,
            actor,
            source,
            channel=IngestChannel.UPLOAD,
            limits=limits,
            draft={"title": title},
            original_name=name,
            now=now,
        )
    scan = uow.session.get_one(VisitorScan, scan_id)  # read again: a lost race rolls the session back
    scan.ingest_job_id = submission.job_id
    scan.ingest_sent_at = now
    scan.ingest_sent_by_id = person.id if isinstance(person, User) else None
    return submission.job_id

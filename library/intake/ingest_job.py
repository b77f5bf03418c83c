"""The ingest job: a queued source becomes a publication with its files and page texts.

A job is claimed with a lease that its worker renews while it works. OCR results are kept
page by page, so a job whose worker died is taken over and goes on from the last finished
page: at once by a worker on the same machine, which can see the holder's process is gone;
by any worker once the lease runs out. The publication, its files and page texts appear in one
transaction at the end, guarded by the claim: whatever happens, a job makes its publication
exactly once.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from ingest.errors import IngestError
from ingest.limits import Limits
from ingest.ocr import PageOcr, ocr_pages
from ingest.source import SourceFacts, build_base_pdf, inspect, page_texts
from ingest.thumbnail import render_cover_from_path
from library.errors import PustakaError, StoreUnwritable
from library.filestore import FileStore
from library.i18n import N_
from library.intake.ingest_files import access_copy, materialise, without_active_content
from library.intake.publishing import PreparedFiles, do_publish
from library.intake.submit import REFUSALS
from library.job_queue import JobQueue, index_with_transaction
from library.lease_holders import this_process
from library.leases import Lease
from library.models import IngestJob, IngestPage, IngestStatus
from library.uow import UnitOfWork

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def worker_name() -> str:
    """Return a name for this worker process that a worker on the same machine can check is alive."""
    return str(this_process())


@dataclass(frozen=True)
class IngestWorker:
    """What an ingest job needs from the process that runs it."""

    session_factory: sessionmaker[Session]
    store: FileStore
    queue: JobQueue
    limits: Limits
    office_code: str
    now: Callable[[], dt.datetime]  # the process's clock (the runtime's), which tests move
    ocr_languages: str = "ind+eng"
    ocr_dpi: int = 300
    ocr_processes: int = 2
    lease: dt.timedelta = dt.timedelta(seconds=120)
    name: str = field(default_factory=worker_name)

    def uow(self) -> UnitOfWork:
        """Open a unit of work."""
        return UnitOfWork(self.session_factory)


class LostClaim(Exception):
    """Another worker took this job over: stop without writing anything more."""


def run_ingest(worker: IngestWorker, job_id: int, progress: Progress | None = None) -> IngestStatus | None:
    """Run one ingest job if it can be claimed; return its final status, None if not ours."""
    if not _claim(worker, job_id):
        return None
    heartbeat = _Heartbeat(worker, job_id)
    heartbeat.start()
    try:
        with tempfile.TemporaryDirectory(prefix=f"pustaka-ingest-{job_id}-") as tmp:
            _process(worker, job_id, Path(tmp), heartbeat, progress)
        return IngestStatus.READY
    except LostClaim:
        log.warning("Ingest job %s was taken over by another worker; stopping.", job_id)
        return None
    except IngestError as exc:
        _fail(worker, job_id, exc.code, str(exc), REFUSALS.get(exc.code, ""), exc.params)
        return IngestStatus.FAILED
    except StoreUnwritable as exc:  # the server's fault: the log names the folder, the staff read no path
        log.error("Ingest job %s could not be stored: %s", job_id, exc)
        _fail(worker, job_id, "store", str(exc), STORE_REFUSED, {})
        return IngestStatus.FAILED
    except PustakaError as exc:  # a refusal a person can act on: keep its words, translatable
        _fail(worker, job_id, "refused", str(exc), exc.message, exc.params)
        return IngestStatus.FAILED
    except Exception as exc:  # noqa: BLE001 - a job must end with a status, whatever broke
        log.exception("Ingest job %s failed unexpectedly.", job_id)
        _fail(worker, job_id, "unexpected", f"{type(exc).__name__}: {exc}", "", {})
        return IngestStatus.FAILED
    finally:
        heartbeat.stop()


STORE_REFUSED = N_(
    "The server could not store the file: its file store refused to write. Tell the administrator "
    "(`pustaka check` names the cause), then upload the file again."
)


def ingest_lease(worker: IngestWorker) -> Lease:
    """Return the lease an ingest job is held under: its heartbeat, renewed while it runs."""
    return Lease(IngestJob.id, IngestJob.heartbeat_at, IngestJob.attempts, worker.lease)


def _claim(worker: IngestWorker, job_id: int) -> bool:
    """Take the job if it is queued, or processing under a lease that has run out."""
    now = worker.now()
    lease = ingest_lease(worker)
    with worker.uow() as uow:
        attempt = lease.claim(
            uow,
            job_id,
            free=or_(
                IngestJob.status == IngestStatus.QUEUED.value,
                (IngestJob.status == IngestStatus.PROCESSING.value) & lease.expired(now),
            ),
            now=now,
            status=IngestStatus.PROCESSING.value,
            claimed_by=worker.name,
            started_at=now,
        )
        uow.commit()
        return attempt is not None


class _Heartbeat:
    """Renews the job's lease from a thread while the job works."""

    def __init__(self, worker: IngestWorker, job_id: int) -> None:
        self.worker, self.job_id = worker, job_id
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def start(self) -> None:
        """Start renewing."""
        self._thread.start()

    def stop(self) -> None:
        """Stop renewing."""
        self._stop.set()
        self._thread.join(timeout=5)

    def check(self) -> None:
        """Raise LostClaim if the job is no longer ours."""
        if self.lost.is_set():
            raise LostClaim

    def _run(self) -> None:
        interval = max(self.worker.lease.total_seconds() / 3, 0.5)
        while not self._stop.wait(interval):
            try:
                if not _touch(self.worker, self.job_id):
                    self.lost.set()
                    return
            except Exception:  # noqa: BLE001 - a missed beat is retried at the next one
                log.exception("Could not renew the lease of ingest job %s.", self.job_id)


def _touch(worker: IngestWorker, job_id: int, **values: object) -> bool:
    """Renew the lease (and set values) if the job is still ours; tell whether it is."""
    held = (IngestJob.claimed_by == worker.name) & (IngestJob.status == IngestStatus.PROCESSING.value)
    with worker.uow() as uow:
        ours = ingest_lease(worker).renew(uow, job_id, held=held, now=worker.now(), **values)
        uow.commit()
        return ours


def _process(
    worker: IngestWorker, job_id: int, tmp: Path, heartbeat: _Heartbeat, progress: Progress | None
) -> None:
    """Do the work of a claimed job and publish its result."""
    entries, kind, done_pages = _load_job(worker, job_id)
    source = materialise(worker.store, entries, kind, tmp)
    facts = inspect(source, worker.limits)
    base = build_base_pdf(source, facts, tmp / "base.pdf", worker.limits)
    base, removed = without_active_content(base, tmp)
    layer_texts = page_texts(base)
    _read_image_pages(worker, job_id, base, facts, done_pages, heartbeat, progress)
    heartbeat.check()
    texts = list(layer_texts)
    for number, row in done_pages.items():
        if 1 <= number <= len(texts):
            texts[number - 1] = row.text
    access = access_copy(base, facts, done_pages, tmp)
    stored = worker.store.put_file(access)
    prepared = PreparedFiles(
        access=stored,
        thumbnail=worker.store.put_bytes(render_cover_from_path(access)),
        facts=facts,
        texts=texts,
        ocr_pages=frozenset(facts.image_pages),
        removed=tuple(removed),
    )
    heartbeat.check()
    _measure_ink(worker, job_id, stored.sha256)
    heartbeat.check()
    with worker.uow() as uow:
        publication_id = do_publish(uow, worker.name, job_id, prepared, worker.office_code, now=worker.now())
        if publication_id is None:
            raise LostClaim
        index_with_transaction(uow, worker.queue, publication_id)
        uow.commit()


def _load_job(worker: IngestWorker, job_id: int) -> tuple[list[dict], str, dict[int, IngestPage]]:
    """Return the job's source files, their kind, and the pages an earlier worker already read."""
    with worker.uow() as uow:
        job = uow.session.get(IngestJob, job_id)
        assert job is not None
        entries = list(job.source_files)
        kind = job.source_kind
        done_pages = {
            row.page_number: row
            for row in uow.session.scalars(select(IngestPage).where(IngestPage.job_id == job_id))
        }
        uow.session.expunge_all()
    return entries, kind, done_pages


def _read_image_pages(
    worker: IngestWorker,
    job_id: int,
    base: Path,
    facts: SourceFacts,
    done_pages: dict[int, IngestPage],
    heartbeat: _Heartbeat,
    progress: Progress | None,
) -> None:
    """OCR the image pages not read yet, keeping each page (in `done_pages` too) as it is finished."""
    todo = [n for n in facts.image_pages if n not in done_pages]
    finished = facts.page_count - len(todo)
    if not _touch(worker, job_id, pages_total=facts.page_count, pages_done=finished):
        raise LostClaim
    if progress:
        progress(finished, facts.page_count)
    for result in ocr_pages(
        base,
        todo,
        languages=worker.ocr_languages,
        dpi=worker.ocr_dpi,
        processes=worker.ocr_processes,
        limits=worker.limits,
    ):
        heartbeat.check()
        finished += 1
        done_pages[result.page_number] = _keep_page(worker, job_id, result, finished)
        if progress:
            progress(finished, facts.page_count)


def _measure_ink(worker: IngestWorker, job_id: int, sha256: str) -> None:
    """Measure the stored copy's page ink once, here, so that no copy has to render a page for its stamp."""
    # Late, as above.
    from library.ledger.page_ink import measure_stored
    from watermark.errors import WatermarkError

    try:
        measure_stored(worker.store, sha256)
    except WatermarkError as exc:  # the first copy measures what is missing, as for older files
        log.warning("Job %s: the pages could not be measured for the stamp: %s", job_id, exc)


def _keep_page(worker: IngestWorker, job_id: int, result: PageOcr, finished: int) -> IngestPage:
    """Store one page's OCR result and the job's progress; raise LostClaim if not ours."""
    row = IngestPage(
        job_id=job_id,
        page_number=result.page_number,
        text=result.text,
        words=[[w.text, w.x0, w.y0, w.x1, w.y1] for w in result.words],
        dpi=result.dpi,
        skew_degrees=result.skew_degrees,
        confidence=result.mean_confidence,
    )
    with worker.uow() as uow:
        held = IngestJob.claimed_by == worker.name
        if not ingest_lease(worker).renew(uow, job_id, held=held, now=worker.now(), pages_done=finished):
            raise LostClaim
        uow.session.merge(row)
        uow.commit()
    return row


def _fail(worker: IngestWorker, job_id: int, code: str, detail: str, message: str, params: dict) -> None:
    """Record why a job failed, if it is still ours."""
    with worker.uow() as uow:
        name = uow.session.scalar(select(IngestJob.original_name).where(IngestJob.id == job_id))
        uow.session.execute(
            update(IngestJob)
            .where(IngestJob.id == job_id, IngestJob.claimed_by == worker.name)
            .values(
                status=IngestStatus.FAILED.value,
                error_code=code,
                error_message=message or N_("Unexpected error: %(detail)s"),
                error_params={
                    k: str(v)
                    for k, v in {
                        "limit_mb": worker.limits.max_bytes // (1024 * 1024),
                        "limit": worker.limits.max_pages,
                        "stream_limit_mb": worker.limits.max_stream_bytes // 2**20,
                        **params,
                        "name": name,
                        "detail": detail,
                    }.items()
                },
                finished_at=worker.now(),
            )
            .execution_options(synchronize_session=False)
        )
        uow.commit()

"""Job wiring: the Huey queue, its tasks, and what a worker process holds.

`SqliteHuey` in the instance folder by default, consumed inside `pustaka serve`;
`RedisHuey` when PUSTAKA_REDIS_URL is set, consumed by `pustaka worker` on any number of
machines. Task bodies are the plain library functions; they take ids.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from library.catalogue.indexing import do_index_publications
from library.clock import DEFAULT_TIMEZONE, office_today
from library.db import make_engine, make_session_factory
from library.filestore import FileStore
from library.intake.jobs import IngestWorker, requeue_stalled, run_ingest
from library.intake.submit import ingest_limits
from library.mail import make_mailer
from library.models import Office
from library.settings import Settings
from library.softcopy.copies import CopyWorker, prepare_copy, requeue_unprepared
from library.softcopy.decisions import release_embargoed
from library.tokens import delivery_key
from library.uow import UnitOfWork
from search.engine import IndexLockedError
from search.whoosh_engine import WhooshSearchEngine

log = logging.getLogger(__name__)
INDEX_RETRIES = 30


def make_huey(settings: Settings) -> Huey:
    """Return the queue: Redis when configured, else SQLite in the instance folder."""
    if settings.redis_url:
        return RedisHuey("pustaka", url=settings.redis_url)
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("pustaka", filename=str(settings.instance_path / "jobs.sqlite3"))


def request_link(settings: Settings) -> Callable[[str], str]:
    """Return a function giving the public address of a request's page (for emails)."""
    base = settings.base_url.rstrip("/")
    return lambda number: f"{base}/permintaan/{number}"


def search_folder(settings: Settings) -> str:
    """Return the folder of the search index."""
    return str(settings.instance_path / "search")


@dataclass
class Runtime:
    """The parts job bodies need, created once per process on first use."""

    settings: Settings
    _engine: Engine | None = None
    _session_factory: sessionmaker[Session] | None = None
    _index: WhooshSearchEngine | None = None
    _timezone: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """Return the session factory, connecting on first use."""
        with self._lock:
            if self._session_factory is None:
                self._engine = make_engine(self.settings.sqlalchemy_url)
                self._session_factory = make_session_factory(self._engine)
            return self._session_factory

    def uow(self) -> UnitOfWork:
        """Return a new unit of work."""
        return UnitOfWork(self.session_factory)

    def index(self) -> WhooshSearchEngine:
        """Return the search index this worker writes to."""
        with self._lock:
            if self._index is None:
                self._index = WhooshSearchEngine(search_folder(self.settings), lock_timeout=10.0)
            return self._index

    def timezone(self) -> str:
        """Return the time zone of the office this deployment serves (read once it is there)."""
        if self._timezone is None:
            with self.uow() as uow:
                zone = uow.session.scalar(select(Office.timezone).where(Office.code == self.settings.office))
            if zone is None:
                return DEFAULT_TIMEZONE  # not cached: the offices may be loaded later
            self._timezone = zone
        return self._timezone

    def today(self) -> dt.date:
        """Return today's date at the office (for embargoes in the index and requests)."""
        return office_today(self.timezone())

    def close(self) -> None:
        """Release connections and the index."""
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._session_factory = None


class Jobs:
    """The queue and its tasks, the same in the web process and in every worker."""

    def __init__(self, settings: Settings, huey: Huey | None = None) -> None:
        self.settings = settings
        self.huey = huey or make_huey(settings)
        self.runtime = Runtime(settings)
        self._ingest = self.huey.task(name="ingest")(self._run_ingest)
        self._index = self.huey.task(name="index", retries=INDEX_RETRIES, retry_delay=2)(self._run_index)
        self._deliver = self.huey.task(name="deliver")(self._run_deliver)

    # -- the JobQueue interface library use cases call after commit --------------------
    def ingest(self, job_id: int) -> None:
        """Queue an ingest job."""
        self._ingest(job_id)

    def index(self, publication_id: int) -> None:
        """Queue an index update of one publication."""
        self._index(publication_id)

    def deliver(self, request_id: int) -> None:
        """Queue the making of an approved request's stamped copy."""
        self._deliver(request_id)

    # -- task bodies -----------------------------------------------------------------
    def ingest_worker(self) -> IngestWorker:
        """Return what an ingest job runs with in this process."""
        s = self.settings
        return IngestWorker(
            session_factory=self.runtime.session_factory,
            store=FileStore(s.files_path),
            queue=self,
            limits=ingest_limits(s.max_upload_mb, s.ingest_max_pages),
            office_code=s.office,
            ocr_languages=s.ocr_languages,
            ocr_dpi=s.ocr_dpi,
            ocr_processes=s.effective_ocr_processes,
            lease=dt.timedelta(seconds=s.job_lease_seconds),
        )

    def _run_ingest(self, job_id: int) -> None:
        """Task body: run one ingest job."""
        run_ingest(self.ingest_worker(), job_id)

    def _run_index(self, publication_id: int) -> None:
        """Task body: update the index entry of one publication (retried while locked)."""
        try:
            with self.runtime.uow() as uow:
                do_index_publications(uow, self.runtime.index(), [publication_id], self.runtime.today())
        except IndexLockedError:
            log.info("The index is busy; publication %s will be indexed on retry.", publication_id)
            raise

    def copy_worker(self) -> CopyWorker:
        """Return what a copy-making job runs with in this process."""
        s = self.settings
        base = s.base_url.rstrip("/")
        return CopyWorker(
            session_factory=self.runtime.session_factory,
            store=FileStore(s.files_path),
            mailer=make_mailer(s),
            secret=delivery_key(s.instance_path),
            verify_base_url=f"{base}/verifikasi",
            request_link=request_link(s),
            link_days=s.download_link_days,
            timezone=self.runtime.timezone(),
            lease=dt.timedelta(seconds=s.job_lease_seconds),
        )

    def _run_deliver(self, request_id: int) -> None:
        """Task body: make the stamped copy of one approved request."""
        prepare_copy(self.copy_worker(), request_id)

    def recover(self) -> list[int]:
        """Queue again the ingest jobs whose worker died or whose message was lost."""
        stalled = requeue_stalled(self.ingest_worker())
        for job_id in stalled:
            log.warning("Ingest job %s has no live worker; queueing it again.", job_id)
            self.ingest(job_id)
        self.tend_requests()
        return stalled

    def tend_requests(self) -> None:
        """Release requests whose embargo ended and queue again copies whose job was lost."""
        now = dt.datetime.now(dt.UTC)
        lease = dt.timedelta(seconds=self.settings.job_lease_seconds)
        with self.runtime.uow() as uow:
            release_embargoed(uow, self, self.runtime.today(), now)
            uow.commit()
        with self.runtime.uow() as uow:
            lost = requeue_unprepared(uow, now - lease)
        for request_id in lost:
            log.warning("Softcopy request %s has no copy yet; queueing it again.", request_id)
            self.deliver(request_id)


class EmbeddedConsumer(Consumer):
    """A consumer run beside the web server: it leaves the process's signals alone."""

    def _set_signal_handlers(self) -> None:
        """Keep the web server's own Ctrl+C handling."""


class Recovery(threading.Thread):
    """Every half lease, queue again the jobs whose worker died."""

    def __init__(self, jobs: Jobs) -> None:
        super().__init__(name="job-recovery", daemon=True)
        self.jobs = jobs
        self.stopping = threading.Event()
        self.interval = max(jobs.settings.job_lease_seconds / 2, 1.0)

    def run(self) -> None:
        """Recover until stopped."""
        while not self.stopping.wait(self.interval):
            try:
                self.jobs.recover()
            except Exception:  # noqa: BLE001 - the database may be away for a moment
                log.exception("Could not look for stalled jobs this time.")


@dataclass
class Consuming:
    """A running consumer and its recovery thread."""

    consumer: EmbeddedConsumer
    recovery: Recovery

    def stop(self, graceful: bool = False) -> None:
        """Stop taking jobs (a job cut short resumes on the next start)."""
        self.recovery.stopping.set()
        self.consumer.stop(graceful=graceful)


def start_embedded(jobs: Jobs, workers: int = 1) -> Consuming:
    """Start consuming the queue in threads of this process; stop it with .stop()."""
    consumer = EmbeddedConsumer(jobs.huey, workers=workers, worker_type="thread", periodic=False)
    jobs.recover()
    consumer.start()
    recovery = Recovery(jobs)
    recovery.start()
    return Consuming(consumer, recovery)

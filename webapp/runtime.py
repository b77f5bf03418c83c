"""The composition root: everything a Pustaka process holds, built once from its settings.

The web app, every CLI command and the job consumers use this one object: the database and
its units of work, the file store, the mailer, the search index (read by web processes, written
by the one worker that holds its lock), the job queue, the office's calendar (read once), the
public links, and the settings bundles each use case takes. Parts are made on first use, so a
command that never touches the queue never opens one.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.limits import Limits
from library.catalogue.page_quota import READER_BURST, PageQuota
from library.clock import DEFAULT_TIMEZONE, office_today
from library.consultation.rules import ConsultationPost, ConsultationRules
from library.db import make_engine, make_session_factory
from library.filestore import FileStore
from library.jobs import JobQueue
from library.mail import Mailer, make_mailer
from library.models import Office
from library.models.base import utcnow
from library.people.accounts import AccountServices
from library.people.first_password import PasswordLinks
from library.people.mail import Links
from library.people.mail_job import AccountPost
from library.people.ratelimit import Limit, Throttle, make_rate_limiter
from library.quality.complaint_mail import ComplaintMailPost
from library.quality.complaints import ComplaintGuard
from library.quality.visit_mail import SurveyPost
from library.settings import Settings
from library.softcopy.alerts import DeskAlerts
from library.softcopy.requests import RequestRules
from library.tokens import secret_in
from library.uow import UnitOfWork, transaction
from library.working_days import Calendar
from webapp.links import PublicLinks

if TYPE_CHECKING:
    from library.catalogue.page_pictures import PagePictures
    from library.catalogue.search_tally import SearchTally
    from library.frontoffice import ScanWorker
    from library.intake import IngestWorker
    from library.softcopy.copies import CopyWorker
    from search.answers import WhooshAnswerIndex
    from search.whoosh_engine import WhooshSearchEngine
    from webapp.jobs import Jobs


class Runtime:
    """The long-lived parts of one Pustaka process (web, CLI or worker)."""

    def __init__(
        self,
        settings: Settings,
        queue_name: str = "pustaka",
        now: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.now = now
        self.links = PublicLinks(settings.base_url)
        self.queue_name = queue_name
        self._lock = threading.RLock()
        self._engine: Engine | None = None
        self._session_factory: sessionmaker[Session] | None = None
        self._reader: WhooshSearchEngine | None = None
        self._writer: WhooshSearchEngine | None = None
        self._answers: dict[bool, WhooshAnswerIndex] = {}  # keyed by "for writing"
        self._timezone: str | None = None
        self._threads = 0  # threads serving requests: the pool's size (0: SQLAlchemy's default)

    # -- the database -------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        """Return the database engine, connecting on first use."""
        with self._lock:
            if self._engine is None:
                self._engine = make_engine(self.settings.sqlalchemy_url, self._threads)
            return self._engine

    @property
    def has_connected(self) -> bool:
        """Tell whether this runtime holds a database engine or a search index open."""
        with self._lock:
            return self._engine is not None or self._reader is not None or self._writer is not None

    def serve_with_threads(self, threads: int) -> None:
        """Size the connection pool for this many request threads (before the first connection)."""
        with self._lock:
            if self._engine is not None:
                raise RuntimeError("The database is already connected: size its pool before.")
            self._threads = threads

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """Return the session factory units of work open sessions with."""
        with self._lock:
            if self._session_factory is None:
                self._session_factory = make_session_factory(self.engine)
            return self._session_factory

    def uow(self) -> UnitOfWork:
        """Return a new unit of work."""
        return UnitOfWork(self.session_factory)

    def transaction(self) -> AbstractContextManager[UnitOfWork]:
        """Open a unit of work that commits when its block ends normally (the shell's only way to commit)."""
        return transaction(self.uow)

    @cached_property
    def search_tally(self) -> SearchTally:
        """Return the searches counted in memory, written every few seconds (not in the request)."""
        from library.catalogue.search_tally import SearchTally

        return SearchTally(self.uow)

    def write_counts(self) -> None:
        """Write the searches this process counted and has not written yet (before a report reads them)."""
        if "search_tally" in self.__dict__:
            self.search_tally.flush()

    # -- files, mail, secrets, limits ---------------------------------------------------
    @cached_property
    def store(self) -> FileStore:
        """Return the content-addressed file store."""
        return FileStore(self.settings.files_path)

    @cached_property
    def page_pictures(self) -> PagePictures:
        """Return the reader's page pictures, their renders kept on disk within the set size."""
        from library.catalogue.page_cache import PageCache  # loads numpy, Pillow and the renderer's client
        from library.catalogue.page_pictures import PagePictures

        size = self.settings.reader_cache_mb * 2**20
        return PagePictures(PageCache(self.settings.page_cache_path, size) if size else None, processes=2)

    @cached_property
    def page_quota(self) -> PageQuota:
        """Return how fast each reader may take page pictures from this process."""
        return PageQuota(self.settings.reader_pages_per_minute, READER_BURST)

    @cached_property
    def mailer(self) -> Mailer:
        """Return the mailer every email leaves through."""
        return make_mailer(self.settings)

    @cached_property
    def secret_key(self) -> bytes:
        """Return the key that signs sessions, email links and OAI resumption tokens."""
        return secret_in(self.settings.secrets_path, "secret_key")

    @cached_property
    def delivery_key(self) -> bytes:
        """Return the key that signs the verification codes stamped on delivered copies."""
        return secret_in(self.settings.secrets_path, "delivery_key")

    @cached_property
    def throttle(self) -> Throttle:
        """Return the rate limits of sign-in, registration and reset requests."""
        s = self.settings
        limit = Limit(s.rate_limit_attempts, dt.timedelta(minutes=s.rate_limit_minutes))
        return Throttle(make_rate_limiter(s.redis_url, self.session_factory), limit)

    @property
    def ingest_limits(self) -> Limits:
        """Return the size and page limits of files taken in."""
        return Limits(
            max_bytes=self.settings.max_upload_mb * 1024 * 1024, max_pages=self.settings.ingest_max_pages
        )

    # -- search -------------------------------------------------------------------------
    @property
    def search_path(self) -> Path:
        """Return the folder of the search index."""
        return self.settings.instance_path / "search"

    def search(self) -> WhooshSearchEngine:
        """Return the search index for reading, opened on first use."""
        with self._lock:
            if self._reader is None:
                self._reader = open_index(self.search_path)
            return self._reader

    def index(self) -> WhooshSearchEngine:
        """Return the search index for writing (one writer at a time holds its lock)."""
        with self._lock:
            if self._writer is None:
                self._writer = open_index(self.search_path, lock_timeout=10.0)
            return self._writer

    def answers(self, *, writing: bool = False) -> WhooshAnswerIndex:
        """Return the knowledge base's answers index: for reading, or for writing (the job worker)."""
        from search.answers import WhooshAnswerIndex  # loads whoosh only where a command searches

        with self._lock:
            if writing not in self._answers:
                folder = self.settings.instance_path / "search-answers"
                self._answers[writing] = WhooshAnswerIndex(folder, lock_timeout=10.0 if writing else 5.0)
            return self._answers[writing]

    # -- jobs ---------------------------------------------------------------------------
    @cached_property
    def jobs(self) -> Jobs:
        """Return the job lanes and their tasks (made on first use)."""
        from webapp.jobs import Jobs  # the tasks need this runtime; built only when asked for

        return Jobs(self, self.queue_name)

    # -- the office ---------------------------------------------------------------------
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
        """Return today's date at the office."""
        return office_today(self.timezone(), self.now())

    def calendar(self) -> Calendar:
        """Return the office's working days: its time zone, holidays and own closures."""
        return Calendar.of(self.timezone(), self.settings.closure_dates)

    # -- what each use case takes -------------------------------------------------------
    def request_rules(self) -> RequestRules:
        """Return the office's softcopy request settings."""
        s = self.settings
        return RequestRules(
            daily_quota=s.request_daily_quota,
            monthly_quota=s.request_monthly_quota,
            sla_working_days=s.request_sla_working_days,
            link_days=s.download_link_days,
            download_cap=s.download_cap,
            calendar=self.calendar(),
        )

    def consultation_rules(self) -> ConsultationRules:
        """Return the office's consultation settings: its code and its working-day calendar."""
        return ConsultationRules(
            office_code=self.settings.office,
            calendar=self.calendar(),
            reopen_days=self.settings.consultation_reopen_days,
        )

    def consultation_post(self) -> ConsultationPost:
        """Return how consultation use cases email the other side, with links from the public base URL."""
        return ConsultationPost(
            mailer=self.mailer,
            user_page=self.links.consultation_page,
            desk_page=self.links.desk_consultation_page,
            survey_page=self.links.survey,
        )

    def account_services(self) -> AccountServices:
        """Return what the account use cases need; their emails go to the job queue."""
        return AccountServices(secret=self.secret_key, queue=self.jobs, throttle=self.throttle)

    def complaint_mail_post(self) -> ComplaintMailPost:
        """Return what the job emailing people about their complaints runs with."""
        return ComplaintMailPost(
            session_factory=self.session_factory,
            mailer=self.mailer,
            status_page=self.links.complaint_status,
            timezone=self.timezone(),
        )

    def complaint_guard(self, client: str) -> ComplaintGuard:
        """Return what holds back a flood of complaints from one client address."""
        return ComplaintGuard(self.throttle, client)

    def account_post(self) -> AccountPost:
        """Return what the job sending account emails runs with, with links from the public base URL."""
        links = Links(
            verify_email=self.links.verify_email,
            reset_password=self.links.reset_password,
            sign_in=self.links.url("accounts.login"),
            forgot_password=self.links.url("accounts.forgot_password"),
        )
        return AccountPost(
            session_factory=self.session_factory,
            mailer=self.mailer,
            secret=self.secret_key,
            links=links,
            timezone=self.timezone(),
            now=lambda: self.now(),  # the process's clock, which tests move
        )

    def survey_post(self) -> SurveyPost:
        """Return what the job emailing a walk-in visitor's survey link runs with."""
        return SurveyPost(
            session_factory=self.session_factory,
            mailer=self.mailer,
            survey_link=self.links.survey,
            now=lambda: self.now(),  # the process's clock, which tests move
        )

    def password_links(self) -> PasswordLinks:
        """Return how an email offers an account without a password a link to set one."""
        return PasswordLinks(secret=self.secret_key, page=self.links.reset_password)

    def copy_worker(self) -> CopyWorker:
        """Return what a copy-making job runs with in this process."""
        from library.softcopy.copies import CopyWorker  # loads pikepdf and the watermark engine

        s = self.settings
        return CopyWorker(
            session_factory=self.session_factory,
            store=self.store,
            mailer=self.mailer,
            secret=self.delivery_key,
            verify_base_url=self.links.verify_base,
            request_link=self.links.request_page,
            survey_link=self.links.survey,
            password_links=self.password_links(),
            link_days=s.download_link_days,
            timezone=self.timezone(),
            lease=dt.timedelta(seconds=s.job_lease_seconds),
        )

    def desk_alerts(self) -> DeskAlerts:
        """Return what the job telling librarians of a waiting request runs with."""
        return DeskAlerts(
            session_factory=self.session_factory,
            mailer=self.mailer,
            desk_link=self.links.desk_request_page,
            timezone=self.timezone(),
        )

    def scan_worker(self) -> ScanWorker:
        """Return what the job stamping a visitor's scan runs with in this process."""
        from library.frontoffice import ScanWorker  # loads the ingest and watermark engines

        s = self.settings
        return ScanWorker(
            session_factory=self.session_factory,
            store=self.store,
            mailer=self.mailer,
            secret=self.delivery_key,
            verify_base_url=self.links.verify_base,
            my_requests_link=self.links.my_requests(),
            password_links=self.password_links(),
            limits=self.ingest_limits,
            link_days=s.download_link_days,
            timezone=self.timezone(),
            lease=dt.timedelta(seconds=s.job_lease_seconds),
            now=lambda: self.now(),  # the process's clock, which a simulated day moves
        )

    def ingest_worker(self, queue: JobQueue | None = None) -> IngestWorker:
        """Return what an ingest job runs with in this process (sending work to `queue`)."""
        from library.intake import IngestWorker  # loads the ingest pipeline (OCR, PDF engines)

        s = self.settings
        return IngestWorker(
            session_factory=self.session_factory,
            store=self.store,
            queue=queue if queue is not None else self.jobs,
            limits=self.ingest_limits,
            office_code=s.office,
            ocr_languages=s.ocr_languages,
            ocr_dpi=s.ocr_dpi,
            ocr_processes=s.effective_ocr_processes,
            lease=dt.timedelta(seconds=s.job_lease_seconds),
        )

    def close(self) -> None:
        """Write the counted searches; release connections, the index and the reader's render workers."""
        if "search_tally" in self.__dict__:
            self.__dict__.pop("search_tally").close()  # a runtime used again counts in a new one
        if "page_pictures" in self.__dict__:
            self.page_pictures.close()
        with self._lock:
            for index in (self._reader, self._writer):
                if index is not None:
                    index.close()
            self._reader = self._writer = None
            for answers in self._answers.values():
                answers.close()
            self._answers = {}
            if self._engine is not None:
                self._engine.dispose()
            self._engine = None
            self._session_factory = None


def open_index(folder: Path, lock_timeout: float = 5.0) -> WhooshSearchEngine:
    """Open the search index in `folder`, made empty if it is not there yet."""
    from search.whoosh_engine import WhooshSearchEngine  # loads whoosh only where a command searches

    return WhooshSearchEngine(str(folder), lock_timeout=lock_timeout)


def runtime() -> Runtime:
    """Return the runtime of the running web app."""
    return current_app.extensions["pustaka"]

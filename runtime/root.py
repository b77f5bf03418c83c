"""The composition root: everything a Pustaka process holds, built once from its settings.

The web app, every CLI command and the job consumers use this one object: the database and
its units of work, the file store, the mailer, the search engine the settings choose (Whoosh:
read by web processes, written by the one worker that holds its lock; PostgreSQL: tables in the
database, written in the publications' own transactions), the job queue, the office's calendar
(read once), the public links, and the settings bundles each use case takes (`factories.py`).
Parts are made on first use, so a command that never touches the queue never opens one.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.limits import Limits
from library.accounts.ratelimit import Limit, Throttle, make_rate_limiter
from library.catalogue.indexing import index_in_transactions
from library.catalogue.page_quota import READER_BURST, PageQuota
from library.clock import DEFAULT_TIMEZONE, office_today
from library.db import make_engine, make_session_factory
from library.filestore import FileStore
from library.mail import Mailer, make_mailer
from library.models import Office
from library.models.base import utcnow
from library.models.identifier import PREFIX_KEY
from library.settings import Settings
from library.uow import UnitOfWork, transaction
from library.working_days import Calendar
from runtime.factories import UseCaseFactories
from runtime.keys import InstanceKeys
from runtime.links import PublicLinks
from runtime.once import built_once

if TYPE_CHECKING:
    from library.catalogue.page_pictures import PagePictures
    from library.catalogue.search_tally import SearchTally
    from library.usage.recording import UsageTally
    from library.usage.robots import Robots
    from runtime.lanes import Jobs
    from search.postgres.answers import PostgresAnswerIndex
    from search.postgres.engine import PostgresSearchEngine
    from search.whoosh.answers import WhooshAnswerIndex
    from search.whoosh.engine import WhooshSearchEngine

    CatalogueIndex = WhooshSearchEngine | PostgresSearchEngine
    AnswersIndex = WhooshAnswerIndex | PostgresAnswerIndex


class Runtime(UseCaseFactories, InstanceKeys):
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
        self._reader: CatalogueIndex | None = None
        self._writer: CatalogueIndex | None = None
        self._postgres: PostgresSearchEngine | None = None  # reads and writes, on PostgreSQL
        self._search_engine: Engine | None = None  # its connections
        self._answers: dict[bool, AnswersIndex] = {}  # keyed by "for writing"
        self._timezone: str | None = None
        self._threads = 0  # threads serving requests: the pool's size (0: SQLAlchemy's default)
        # key name: (the folder's mtime, the ring, when a retired key in it expires)
        self._rings: dict[str, tuple[int, tuple[bytes, ...], dt.datetime | None]] = {}

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
                # New publications are numbered under the configured prefix (library.models.identifier).
                self._session_factory.configure(info={PREFIX_KEY: self.settings.identifier_prefix})
                if self.settings.search_in_database:
                    # Sessions write a changed publication's search rows in their own transaction.
                    from search.postgres import tables as postgres_tables

                    index_in_transactions(self._session_factory, postgres_tables, self.today)
            return self._session_factory

    def uow(self) -> UnitOfWork:
        """Return a new unit of work."""
        return UnitOfWork(self.session_factory)

    def transaction(self) -> AbstractContextManager[UnitOfWork]:
        """Open a unit of work that commits when its block ends normally (the shell's only way to commit)."""
        return transaction(self.uow)

    @built_once
    def search_tally(self) -> SearchTally:
        """Return the searches counted in memory, written every few seconds (not in the request)."""
        from library.catalogue.search_tally import SearchTally

        return SearchTally(self.uow)

    @built_once
    def usage_tally(self) -> UsageTally:
        """Return the usage events kept in memory, written every few seconds (not in the request)."""
        from library.usage.recording import UsageTally

        return UsageTally(self.uow)

    @built_once
    def robots(self) -> Robots:
        """Return the COUNTER-Robots list: the office's refreshed copy, else the one shipped."""
        from library.usage.robots import load_robots

        return load_robots(self.settings.instance_path)

    def write_counts(self) -> None:
        """Write the searches and usage this process counted and has not written yet (before a report)."""
        for tally in ("search_tally", "usage_tally"):
            if tally in self.__dict__:
                self.__dict__[tally].flush()

    # -- files, mail, secrets, limits ---------------------------------------------------
    @built_once
    def store(self) -> FileStore:
        """Return the content-addressed file store."""
        return FileStore(self.settings.files_path)

    @built_once
    def page_pictures(self) -> PagePictures:
        """Return the reader's page pictures, their renders kept on disk within the set size."""
        from library.catalogue.page_cache import PageCache  # loads numpy, Pillow and the renderer's client
        from library.catalogue.page_pictures import PagePictures

        size = self.settings.reader_cache_mb * 2**20
        return PagePictures(PageCache(self.settings.page_cache_path, size) if size else None, processes=2)

    @built_once
    def page_quota(self) -> PageQuota:
        """Return how fast each reader may take page pictures from this process."""
        return PageQuota(self.settings.reader_pages_per_minute, READER_BURST)

    @built_once
    def mailer(self) -> Mailer:
        """Return the mailer every email leaves through."""
        return make_mailer(self.settings)

    @built_once
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

    def search(self) -> CatalogueIndex:
        """Return the catalogue's search engine for reading, opened on first use."""
        with self._lock:
            if self._reader is None:
                if self.settings.search_in_database:
                    self._reader = self._postgres_search()
                else:
                    self._reader = open_index(self.search_path)
            return self._reader

    def index(self) -> CatalogueIndex:
        """Return the catalogue's search engine for writing (Whoosh: one writer at a time holds its lock)."""
        with self._lock:
            if self._writer is None:
                if self.settings.search_in_database:
                    self._writer = self._postgres_search()  # no lock: PostgreSQL orders the writers
                else:
                    self._writer = open_index(self.search_path, lock_timeout=10.0)
            return self._writer

    def answers(self, *, writing: bool = False) -> AnswersIndex:
        """Return the knowledge base's answers index: for reading, or for writing (the job worker)."""
        with self._lock:
            if writing not in self._answers:
                if self.settings.search_in_database:
                    from search.postgres.answers import PostgresAnswerIndex

                    self._answers[writing] = PostgresAnswerIndex(self._search_database(), create=False)
                else:
                    from search.whoosh.answers import (
                        WhooshAnswerIndex,  # loads whoosh only where a command searches
                    )

                    folder = self.settings.instance_path / "search-answers"
                    self._answers[writing] = WhooshAnswerIndex(folder, lock_timeout=10.0 if writing else 5.0)
            return self._answers[writing]

    def _postgres_search(self) -> PostgresSearchEngine:
        """Return the PostgreSQL search engine: one for reading and writing, on the migrated tables."""
        from search.postgres.engine import PostgresSearchEngine

        if self._postgres is None:
            self._postgres = PostgresSearchEngine(self._search_database(), create=False)
        return self._postgres

    def _search_database(self) -> Engine:
        """Return the connections searches read with: a pool of their own, beside the sessions'.

        A search page holds its unit of work's connection while the engine reads, so a shared
        pool of one connection per thread could run dry; writes join the session's connection.
        """
        with self._lock:
            if self._search_engine is None:
                self._search_engine = make_engine(self.settings.sqlalchemy_url, self._threads)
            return self._search_engine

    # -- jobs ---------------------------------------------------------------------------
    @built_once
    def jobs(self) -> Jobs:
        """Return the job lanes and their tasks, made on first use."""
        from runtime.lanes import Jobs  # the tasks need this runtime; built only when asked for

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

    def close(self) -> None:
        """Write the counted searches; release connections, the index and the reader's render workers."""
        for tally in ("search_tally", "usage_tally"):
            if tally in self.__dict__:
                self.__dict__.pop(tally).close()  # a runtime used again counts in a new one
        if "page_pictures" in self.__dict__:
            self.page_pictures.close()
        if "jobs" in self.__dict__:
            self.jobs.close()  # the lanes' queue connections (reopened if the runtime is used again)
        with self._lock:
            for index in (self._reader, self._writer):
                if index is not None:
                    index.close()
            self._reader = self._writer = self._postgres = None
            for answers in self._answers.values():
                answers.close()
            self._answers = {}
            for engine in (self._engine, self._search_engine):
                if engine is not None:
                    engine.dispose()
            self._engine = self._search_engine = None
            self._session_factory = None


def open_index(folder: Path, lock_timeout: float = 5.0) -> WhooshSearchEngine:
    """Open the search index in `folder`, made empty if it is not there yet."""
    from search.whoosh.engine import WhooshSearchEngine  # loads whoosh only where a command searches

    return WhooshSearchEngine(str(folder), lock_timeout=lock_timeout)

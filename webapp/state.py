"""What the web app holds for the lifetime of a process: settings, database, file store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from library.clock import DEFAULT_TIMEZONE, office_today
from library.db import make_engine, make_session_factory
from library.filestore import FileStore
from library.mail import Mailer, make_mailer
from library.models import Office
from library.people.ratelimit import Limit, Throttle, make_rate_limiter
from library.settings import Settings
from library.uow import UnitOfWork
from search.engine import SearchEngine
from search.whoosh_engine import WhooshSearchEngine
from webapp.jobs import Jobs, search_folder


@dataclass
class AppState:
    """The long-lived parts of one Pustaka web process."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    store: FileStore
    mailer: Mailer
    throttle: Throttle
    jobs: Jobs
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    _timezone: str | None = None
    _search: SearchEngine | None = None

    def search(self) -> SearchEngine:
        """Return the search index, opened on first use (web processes only read it)."""
        if self._search is None:
            self._search = WhooshSearchEngine(search_folder(self.settings))
        return self._search

    def uow(self) -> UnitOfWork:
        """Return a new unit of work."""
        return UnitOfWork(self.session_factory)

    def timezone(self) -> str:
        """Return the time zone of the office this deployment serves."""
        if self._timezone is None:
            with self.uow() as uow:
                tz = uow.session.scalar(select(Office.timezone).where(Office.code == self.settings.office))
            if tz is None:
                return DEFAULT_TIMEZONE  # not cached: the office may be loaded later
            self._timezone = tz
        return self._timezone

    def today(self) -> dt.date:
        """Return today's date at the office."""
        return office_today(self.timezone(), self.now())


def init_app(app: Flask, settings: Settings) -> AppState:
    """Create the process state and attach it to the app."""
    engine = make_engine(settings.sqlalchemy_url)
    session_factory = make_session_factory(engine)
    limit = Limit(settings.rate_limit_attempts, dt.timedelta(minutes=settings.rate_limit_minutes))
    state = AppState(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        store=FileStore(settings.files_path),
        mailer=make_mailer(settings),
        throttle=Throttle(make_rate_limiter(settings.redis_url, session_factory), limit),
        jobs=Jobs(settings),
    )
    app.extensions["pustaka"] = state
    return state


def state() -> AppState:
    """Return the state of the running app."""
    return current_app.extensions["pustaka"]

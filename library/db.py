"""Database engines: SQLite in WAL mode by default, PostgreSQL when configured."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import CursorResult, Result, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

# Connections kept beyond one per serving thread: for the odd thread that is not a request's.
SPARE_CONNECTIONS = 2

# A pooled PostgreSQL connection used less than this long ago is handed out without a ping (as
# HikariCP's aliveBypassWindowMs, 500 ms there): under load each is used many times a second, and
# a ping on every checkout was one round trip in four of a search page. One idle longer is pinged
# first, so one that a server restart or an idle timeout closed is replaced, not given to a request.
PING_AFTER_IDLE_SECONDS = 1.0

log = logging.getLogger(__name__)

# A date or time bound to plain SQL (a migration's data step, `text()`) is stored as the text
# sqlite3's default adapters wrote; Python 3.12 deprecates those defaults, so they are said here.
sqlite3.register_adapter(dt.datetime, lambda value: value.isoformat(" "))
sqlite3.register_adapter(dt.date, lambda value: value.isoformat())


def make_engine(url: str, threads: int = 0) -> Engine:
    """Create an engine for the URL with the pragmas Pustaka relies on.

    `threads`: how many threads serve requests with it. A request holds one connection at a
    time (`UnitOfWork.release`), so a pool of that many, and a few spare, never runs dry: no
    request waits for a connection another thread holds while it waits for a second.
    Without it, SQLAlchemy's default pool (5, and 10 more when busy).
    """
    parsed = make_url(url)
    sized = {"pool_size": threads, "max_overflow": SPARE_CONNECTIONS} if threads else {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        else:
            sized = {}  # one connection per thread already (SingletonThreadPool)
        engine = create_engine(url, connect_args={"timeout": 30}, **sized)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, **sized)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection on checkout when it was idle longer than PING_AFTER_IDLE_SECONDS."""
    dialect = engine.dialect

    def used(_dbapi_connection: Any, record: Any) -> None:
        record.info["pustaka_used"] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle = time.monotonic() - record.info.get("pustaka_used", 0.0)
        if idle <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            # The pool drops it and connects again (up to three times), as pool_pre_ping does.
            log.warning("a pooled database connection idle %.0f s was closed (%s); replacing it", idle, exc)
            raise DisconnectionError(str(exc)) from exc

    event.listen(engine, "connect", used)
    event.listen(engine, "checkin", used)
    event.listen(engine, "checkout", checkout)


CACHE_KIB = 1024


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    """Turn on WAL, foreign keys and a busy timeout for every SQLite connection; bound its page cache."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Each connection's page cache at most 1 MB (SQLite's default is 2 MB): a web process holds a
    # connection per thread, and the file's pages are in the system's file cache anyway.
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory the unit of work uses."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def changed_rows(result: Result) -> int:
    """Return how many rows the UPDATE or DELETE that gave `result` changed."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(result).__name__} does not count changed rows")
    return result.rowcount

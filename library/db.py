"""Database engines: SQLite in WAL mode by default, PostgreSQL when configured."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import CursorResult, Result, make_url
from sqlalchemy.orm import Session, sessionmaker

# Connections kept beyond one per serving thread: for the odd thread that is not a request's.
SPARE_CONNECTIONS = 2

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
    return create_engine(url, pool_pre_ping=True, **sized)


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

"""Schema migrations, run from code: `pustaka db upgrade`, `pustaka serve` and the tests.

Processes that start together on a new database (`pustaka serve` and `pustaka worker`, say)
would each create the tables; the second would fail on what the first made. So the schema is
changed under a lock in the database itself: on PostgreSQL an advisory lock (per schema), on
SQLite an exclusive lock on a file beside the database. The second process waits, then finds
the schema up to date.
"""

from __future__ import annotations

import fcntl
import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

log = logging.getLogger(__name__)

# The first key of PostgreSQL's two-key advisory locks that Pustaka's migrations take; the
# second is a hash of the schema, so databases in other schemas are migrated independently.
LOCK_KEY = 0x50555354  # "PUST"
WAITING = "Another process is migrating the database; waiting for it to finish."


def alembic_config(url: str = "") -> Config:
    """Return an Alembic configuration pointing at Pustaka's migrations."""
    config = Config()
    config.set_main_option("script_location", str(files("library") / "migrations"))
    config.set_main_option("path_separator", "os")
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to the given revision, one process at a time."""
    with exclusive(engine):
        upgrade_holding_lock(engine, revision)


def upgrade_holding_lock(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to the revision; the caller holds `exclusive(engine)`."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def exclusive(engine: Engine) -> Iterator[None]:
    """Hold the database's migration lock for the block: other processes asking for it wait."""
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine):
            yield
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield  # a database only this process sees, or one whose file is not named plainly
        return
    with _file_lock(Path(database).with_name(Path(database).name + ".migrate-lock")):
        yield


@contextmanager
def _advisory_lock(engine: Engine) -> Iterator[None]:
    """Hold a session advisory lock on one connection of its own while the block runs."""
    key = {"key": LOCK_KEY}
    with engine.connect() as connection:
        taken = connection.execute(
            text("SELECT pg_try_advisory_lock(:key, hashtext(current_schema()))"), key
        ).scalar()
        if not taken:
            log.warning(WAITING)
            connection.execute(text("SELECT pg_advisory_lock(:key, hashtext(current_schema()))"), key)
        connection.commit()  # a session lock outlives the transaction; nothing stays open while we work
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key, hashtext(current_schema()))"), key)
            connection.commit()


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file while the block runs (the system drops it if we die)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning(WAITING)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or None when it has no schema."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def head_revision() -> str | None:
    """Return the newest revision the code knows (read once: /healthz asks on every probe)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(engine: Engine) -> bool:
    """Tell whether the database schema matches the code."""
    return current_revision(engine) == head_revision()

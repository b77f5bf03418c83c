"""Schema migrations, run from code: `pustaka db upgrade`, `pustaka serve` and the tests.

Processes that start together on a new database (`pustaka serve` and `pustaka worker`, say)
would each create the tables; the second would fail on what the first made. So the schema is
changed under a lock in the database itself: on PostgreSQL an advisory lock (per schema), on
SQLite an exclusive lock on a file beside the database. The second process waits, then finds
the schema up to date.
"""

from __future__ import annotations

import ast
import fcntl
import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from library.errors import PustakaError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

# The first key of PostgreSQL's two-key advisory locks that Pustaka's migrations take; the
# second is a hash of the schema, so databases in other schemas are migrated independently.
LOCK_KEY = 0x50555354  # "PUST"
WAITING = "Another process is migrating the database; waiting for it to finish."
VERSIONS = Path(str(files("library") / "migrations" / "versions"))
VERSION_TABLE = "alembic_version"  # where Alembic keeps the database's revision (its default name)


def alembic_config(url: str = "") -> Config:
    """Return an Alembic configuration pointing at Pustaka's migrations.

    Alembic (about 11 MB of modules) loads only in a process that migrates or reports the
    schema's revision: a web process answers /healthz without it (`is_up_to_date`).
    """
    from alembic.config import Config

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


class SchemaTooNew(PustakaError):
    """The database was upgraded by a newer release than this code."""


def check_not_newer(engine: Engine) -> None:
    """Refuse a database whose schema a newer release made: this code would misread it."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise SchemaTooNew(
            "The database is at schema %(current)s, which a newer Pustaka made; this release knows "
            "schemas up to %(head)s. Install the newer release again, or with it run "
            "`pustaka db downgrade %(head)s` (back up first) before using this one.",
            current=current,
            head=head_revision() or "?",
        )


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to an older revision, one process at a time (what later ones added is lost)."""
    from alembic import command

    if revision not in known_revisions():
        raise PustakaError(
            "There is no schema revision %(rev)s; the known ones are %(known)s.",
            rev=revision,
            known=", ".join(sorted(known_revisions())),
        )
    with exclusive(engine):
        check_not_newer(engine)
        _migrate(engine, lambda config: command.downgrade(config, revision))


def upgrade_holding_lock(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to the revision; the caller holds `exclusive(engine)`."""
    from alembic import command

    check_not_newer(engine)
    _migrate(engine, lambda config: command.upgrade(config, revision))


def _migrate(engine: Engine, step: Callable[[Config], None]) -> None:
    """Run an Alembic command in one transaction; on SQLite with foreign keys off while it runs.

    SQLite alters a table by copying it, dropping the old one and renaming the copy: with foreign
    keys on, the drop deletes every row that refers to the table through ON DELETE CASCADE (an
    upgrade from 0005 lost every ingested page's text that way). So they are off during the
    migration, as SQLite's own procedure says, and every reference is checked before it commits.
    """
    config = alembic_config()
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config)
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, or it does nothing
        connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                step(config)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise PustakaError(
                        "The migration left %(n)s rows referring to rows that do not exist (first: "
                        "table %(table)s); nothing was changed.",
                        n=len(broken),
                        table=broken[0][0],
                    )
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


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
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def known_revisions() -> frozenset[str]:
    """Return every schema revision this code's migrations know."""
    found = (_assignments(script, ("revision",)).get("revision") for script in VERSIONS.glob("*.py"))
    return frozenset(r for r in found if isinstance(r, str))


@functools.cache
def head_revision() -> str | None:
    """Return the newest revision the code knows (read once: /healthz asks on every probe).

    Read from the migration scripts' `revision` and `down_revision` assignments, as Alembic
    reads them, without loading Alembic: the revision no other script builds on. None when
    there is no single one (Alembic refuses such a history too).
    """
    revisions: set[str] = set()
    built_on: set[str] = set()
    for script in VERSIONS.glob("*.py"):
        found = _assignments(script, ("revision", "down_revision"))
        revision, below = found.get("revision"), found.get("down_revision")
        if isinstance(revision, str):
            revisions.add(revision)
        if isinstance(below, str):
            built_on.add(below)
        elif isinstance(below, tuple | list):  # a merge builds on several
            built_on.update(str(each) for each in below)
    heads = revisions - built_on
    return heads.pop() if len(heads) == 1 else None


def revision_chain() -> dict[str, str | None]:
    """Return each known revision with the one it builds on (None for the first)."""
    chain: dict[str, str | None] = {}
    for script in VERSIONS.glob("*.py"):
        found = _assignments(script, ("revision", "down_revision"))
        revision, below = found.get("revision"), found.get("down_revision")
        if isinstance(revision, str):
            chain[revision] = below if isinstance(below, str) else None
    return chain


def _assignments(script: Path, names: tuple[str, ...]) -> dict[str, object]:
    """Return the literal values a module assigns to these names at its top level."""
    found: dict[str, object] = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        target: ast.expr
        value: ast.expr | None
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in names and value is not None:
            found[target.id] = ast.literal_eval(value)
    return found


def is_up_to_date(engine: Engine) -> bool:
    """Tell whether the database schema matches the code (one plain query: /healthz asks it)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return head_revision() is None
        found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return found == [head_revision()]

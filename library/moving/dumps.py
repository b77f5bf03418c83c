"""The database's part of a backup: SQLite's online backup API, or PostgreSQL's pg_dump and pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy.engine import make_url

from library.errors import PustakaError


class BackupRefused(PustakaError):
    """A backup that cannot be made, or a backup that cannot be restored."""


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database with its online backup API: consistent while others write."""
    if not source.is_file():
        raise BackupRefused("There is no database at %(path)s.", path=str(source))
    # Each closed whatever fails: the target's folder refusing the file, say, after the source opened.
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as reading:
        with closing(sqlite3.connect(target)) as writing:
            reading.backup(writing)
    target.chmod(0o600)


def _libpq(url: str) -> tuple[str, dict[str, str], list[str]]:
    """Return a SQLAlchemy PostgreSQL URL as libpq's without its password, the environment that
    carries the password (never a command line, which the process list shows) and the URL's
    server options, and the schema option pg_dump needs when the URL's search_path names one.

    The options go in PGOPTIONS, not the URL given on: a URL written again spells the space between
    two options `+`, which libpq reads as part of the first option's value."""
    parsed = make_url(url)
    options = unquote(str(parsed.query.get("options", "")))
    schemas: list[str] = []
    for part in options.split():
        if part.startswith("-csearch_path="):
            schemas = [s for s in part.removeprefix("-csearch_path=").split(",") if s and s != "public"]
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    if options:
        env["PGOPTIONS"] = options
    # URL.set(password=None) keeps the password (None means "unchanged"): the tuple's own _replace drops it.
    bare = parsed.difference_update_query(["options"]).set(drivername="postgresql")._replace(password=None)
    plain = bare.render_as_string(hide_password=False)
    return plain, env, [f"--schema={s}" for s in schemas[:1]]


def pg_dump(url: str, target: Path) -> None:
    """Dump a PostgreSQL database (its schema in use) in pg_dump's custom format."""
    conninfo, env, schema = _libpq(url)
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            *schema,
            f"--file={target}",
            conninfo,
        ],
        env,
    )
    target.chmod(0o600)


def pg_restore(dump: Path, url: str) -> None:
    """Restore a custom-format dump into the database, replacing what its objects hold."""
    conninfo, env, _schema = _libpq(url)
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "-d", conninfo, str(dump)],
        env,
    )


def _run(command: list[str], env: dict[str, str]) -> None:
    """Run a PostgreSQL client program; refuse with its own words when it fails (never the password)."""
    if shutil.which(command[0]) is None:
        raise BackupRefused(
            "%(program)s is not installed: install PostgreSQL's client programs (postgresql-client).",
            program=command[0],
        )
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or ["(nothing said)"])[-1]
        raise BackupRefused("%(program)s failed: %(said)s", program=command[0], said=said)

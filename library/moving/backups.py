"""A whole instance in one folder: its database, its file store and its keys, with a manifest of checksums.

`pustaka backup DEST` writes, into a new folder:

- `database.sqlite3`: the SQLite database copied with SQLite's online backup API (consistent while
  the site runs), or `database.pgdump`: `pg_dump --format=custom` of the PostgreSQL database (of
  its schema alone when the URL's search_path names one);
- `files/`: every file of the file store (masters, copies, the ink measured beside them);
- `secrets/`: `secret_key` and `delivery_key`, without which no copy delivered before could be
  verified or traced;
- `manifest.json`, written last: the release, the schema, the database's kind, and the size and
  sha256 of every other file. A backup without it was not finished.

`pustaka restore SRC` checks every file against the manifest before it changes anything, and
refuses a backup that is incomplete, altered, or of another kind of database than the instance's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import unquote

from sqlalchemy.engine import make_url

from library.errors import PustakaError
from library.tokens import SECRET_FILES as KEYS
from library.tokens import key_files

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
PLAIN_OBJECTS = ("--no-owner", "--no-privileges")  # restored as whoever restores, on any server

Progress = Callable[[str], None]  # told what is being written or checked


class BackupRefused(PustakaError):
    """A backup that cannot be made, or a backup that cannot be restored."""


@dataclass(frozen=True)
class Instance:
    """Where an instance keeps what a backup holds."""

    database_url: str  # "" for SQLite in the instance folder
    sqlite_path: Path
    files: Path
    secrets: Path

    @property
    def kind(self) -> str:
        """Return the database's kind: sqlite or postgresql."""
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"


def make_backup(instance: Instance, dest: Path, *, release: str, schema: str, progress: Progress) -> int:
    """Write a backup of the instance into the new folder `dest`; return how many files it holds."""
    if dest.exists() and any(dest.iterdir()):
        raise BackupRefused("%(dest)s is not empty: back up into a new folder.", dest=str(dest))
    missing = [name for name in KEYS if not (instance.secrets / name).is_file()]
    if missing:
        raise BackupRefused(
            "The keys %(keys)s are missing from %(folder)s: a backup without them could not verify a "
            "single copy delivered before. Find them (an earlier backup) before backing up.",
            keys=", ".join(missing),
            folder=str(instance.secrets),
        )
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    progress("database")
    if instance.kind == "sqlite":
        _sqlite_backup(instance.sqlite_path, dest / SQLITE_FILE)
    else:
        _pg_dump(instance.database_url, dest / PG_FILE)
    progress("files")
    if instance.files.exists():
        shutil.copytree(instance.files, dest / "files")
    else:
        (dest / "files").mkdir()
    progress("keys")
    (dest / "secrets").mkdir(mode=0o700)
    for name in key_files(instance.secrets):  # the current keys and those retired, which still verify
        shutil.copyfile(instance.secrets / name, dest / "secrets" / name)
        (dest / "secrets" / name).chmod(0o600)
    progress("manifest")
    entries = {path: _describe(dest / path) for path in _listed(dest)}
    manifest = {
        "format": FORMAT,
        "release": release,
        "schema": schema,
        "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": instance.kind,
        "files": entries,
    }
    tmp = dest / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    os.replace(tmp, dest / MANIFEST)
    return len(entries)


def check_backup(src: Path, progress: Progress) -> dict[str, object]:
    """Return a backup's manifest once every file it lists is there, whole; refuse it otherwise."""
    try:
        manifest = json.loads((src / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupRefused(
            "%(src)s is not a finished Pustaka backup: it has no readable %(manifest)s.",
            src=str(src),
            manifest=MANIFEST,
        ) from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupRefused("%(src)s was written by a Pustaka this one does not know.", src=str(src))
    progress("checking every file against the manifest")
    problems = []
    for path, expected in sorted(manifest["files"].items()):
        found = src / path
        if not found.is_file():
            problems.append(f"{path} is missing")
        elif _describe(found) != expected:
            problems.append(f"{path} differs from the manifest")
    extra = set(_listed(src)) - set(manifest["files"])
    problems += [f"{path} is not in the manifest" for path in sorted(extra)]
    needed = [f"secrets/{name}" for name in KEYS]
    needed.append(SQLITE_FILE if manifest.get("database") == "sqlite" else PG_FILE)
    problems += [f"{path} is not in the backup" for path in needed if path not in manifest["files"]]
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise BackupRefused(
            "The backup in %(src)s is incomplete or damaged, so nothing was restored: %(problems)s.",
            src=str(src),
            problems=shown,
        )
    return dict(manifest)


def restore_backup(src: Path, instance: Instance, manifest: dict[str, object], *, progress: Progress) -> None:
    """Put a checked backup's database, files and keys in place of the (empty) instance's."""
    if manifest["database"] != instance.kind:
        raise BackupRefused(
            "This backup holds a %(kind)s database and this instance uses %(mine)s: restore it where "
            "it was made (then `pustaka move` takes SQLite to PostgreSQL).",
            kind=str(manifest["database"]),
            mine=instance.kind,
        )
    progress("database")
    if instance.kind == "sqlite":
        instance.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (
            instance.sqlite_path.with_name(instance.sqlite_path.name + s) for s in ("-wal", "-shm")
        ):
            leftover.unlink(missing_ok=True)
        _sqlite_backup(src / SQLITE_FILE, instance.sqlite_path)
    else:
        _pg_restore(src / PG_FILE, instance.database_url)
    progress("files")
    instance.files.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src / "files", instance.files, dirs_exist_ok=True)
    progress("keys")
    instance.secrets.mkdir(parents=True, exist_ok=True, mode=0o700)
    listed = cast(dict[str, object], manifest["files"])
    kept = sorted(Path(path).name for path in listed if path.startswith("secrets/"))
    for name in kept:
        target = instance.secrets / name
        tmp = target.with_name(f".{name}.restoring")
        shutil.copyfile(src / "secrets" / name, tmp)
        tmp.chmod(0o600)
        os.replace(tmp, target)


def _listed(root: Path) -> list[str]:
    """Return every file under a backup folder but its manifest, as relative paths."""
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and p.name not in (MANIFEST, f".{MANIFEST}.tmp")
    )


def _describe(path: Path) -> dict[str, object]:
    """Return a file's size and sha256."""
    with open(path, "rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    return {"size": path.stat().st_size, "sha256": digest}


def _sqlite_backup(source: Path, target: Path) -> None:
    """Copy a SQLite database with its online backup API: consistent while others write."""
    if not source.is_file():
        raise BackupRefused("There is no database at %(path)s.", path=str(source))
    reading = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writing = sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        writing.close()
        reading.close()
    target.chmod(0o600)


def _libpq(url: str) -> tuple[str, dict[str, str], list[str]]:
    """Return a SQLAlchemy PostgreSQL URL as libpq's without its password, the environment that
    carries the password (never a command line, which the process list shows), and the schema
    option pg_dump needs when the URL's search_path names one."""
    parsed = make_url(url)
    options = unquote(str(parsed.query.get("options", "")))
    schemas: list[str] = []
    for part in options.split():
        if part.startswith("-csearch_path="):
            schemas = [s for s in part.removeprefix("-csearch_path=").split(",") if s and s != "public"]
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, env, [f"--schema={s}" for s in schemas[:1]]


def _pg_dump(url: str, target: Path) -> None:
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


def _pg_restore(dump: Path, url: str) -> None:
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

"""A whole instance in one folder: its database, its file store and its keys, with a manifest of checksums.

`pustaka backup` writes, into a new folder (by default a dated one in PUSTAKA_BACKUP_DIR):

- `.pustaka-backup`, first: when the backup was started (a folder without a manifest is unfinished);
- `database.sqlite3`: the SQLite database copied with SQLite's online backup API (consistent while
  the site runs), or `database.pgdump`: `pg_dump --format=custom` of the PostgreSQL database (of
  its schema alone when the URL's search_path names one);
- `files/`: every file of the file store, those unchanged since the previous backup hard-linked
  from it (`library.moving.filing`);
- `secrets/`: `secret_key` and `delivery_key` (and the retired ones), without which no copy
  delivered before could be verified or traced;
- `manifest.json`, written last: the release, the schema, the database's kind, and the size and
  sha256 of every other file (of its plaintext when encrypted). With the office's backup key
  (PUSTAKA_BACKUP_KEY_FILE) it carries an HMAC-SHA256 over its content, and the files may be
  encrypted with the same key (`library.moving.sealing`).

`pustaka restore SRC` and `pustaka backup --verify` check every file against the manifest, and the
manifest against the key, before anything changes: a backup that is incomplete, altered, signed
with another key or not at all (while the office has one), is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from library.moving.dumps import BackupRefused, pg_dump, pg_restore, sqlite_copy
from library.moving.filing import (
    Entry,
    describe,
    describe_stored,
    give_store_to_group,
    link_or_put,
    put,
    store_group,
    take_out,
)
from library.moving.retention import MANIFEST, STARTED, find_backups
from library.moving.sealing import BackupKey, SealBroken
from library.tokens import SECRET_FILES as KEYS
from library.tokens import key_files

__all__ = ["BackupRefused", "Instance", "Made", "check_backup", "make_backup", "restore_backup"]

FORMAT = 1
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
WRITING = "tmp"  # the file store's folder of files being written (`library.filestore`), never backed up

Progress = Callable[[str], None]  # told what is being written or checked


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


@dataclass(frozen=True)
class Sealing:
    """How a backup is protected: the office's key (signing the manifest) and whether files are encrypted."""

    key: BackupKey | None = None
    encrypt: bool = False

    @property
    def cipher(self) -> BackupKey | None:
        """Return the key files are encrypted with, or None when they are written plain."""
        return self.key if self.encrypt else None


@dataclass(frozen=True)
class Made:
    """What a backup holds: its files, their bytes, and how many were hard-linked from the previous one."""

    path: Path
    files: int
    size: int
    written: int
    linked: int


def make_backup(
    instance: Instance, dest: Path, *, release: str, schema: str, made_at: dt.datetime, sealing: Sealing,
    progress: Progress,
) -> Made:  # fmt: skip
    """Write a backup of the instance into the new folder `dest`."""
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
    previous = _previous(dest, sealing)
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    (dest / STARTED).write_text(made_at.isoformat(timespec="seconds"))
    entries: dict[str, Entry] = {}
    progress("database")
    entries.update(_database(instance, dest, sealing))
    progress("files")
    linked = _files(instance.files, dest, sealing, previous, entries)
    progress("keys")
    (dest / "secrets").mkdir(mode=0o700)
    for name in key_files(instance.secrets):  # the current keys and those retired, which still verify
        entries[f"secrets/{name}"] = describe(instance.secrets / name)
        put(instance.secrets / name, dest / "secrets" / name, f"secrets/{name}", sealing.cipher)
        (dest / "secrets" / name).chmod(0o600)
    progress("manifest")
    group = store_group(instance.files)
    manifest: dict[str, object] = {
        "format": FORMAT,
        "made_at": made_at.isoformat(timespec="seconds"),
        "release": release,
        "schema": schema,
        "database": instance.kind,
        "files": entries,
        "encrypted": sealing.encrypt,
        "store_group": None if group is None else {"name": group[0], "setgid": group[1]},
    }
    if sealing.key is not None:
        manifest["key_id"] = sealing.key.key_id
        manifest["hmac"] = sealing.key.sign(manifest)
    tmp = dest / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    os.replace(tmp, dest / MANIFEST)
    stored = [dest / path for path in entries]
    size = sum(path.stat().st_size for path in stored)
    written = sum(path.stat().st_size for path in stored if path.stat().st_nlink == 1)
    return Made(dest, len(entries), size, written, linked)


def _database(instance: Instance, dest: Path, sealing: Sealing) -> dict[str, Entry]:
    """Write the database's copy (encrypted when asked) and return its manifest line."""
    name = SQLITE_FILE if instance.kind == "sqlite" else PG_FILE
    plain = dest / f".{name}.tmp" if sealing.encrypt else dest / name
    if instance.kind == "sqlite":
        sqlite_copy(instance.sqlite_path, plain)
    else:
        pg_dump(instance.database_url, plain)
    entry = describe(plain)
    if sealing.encrypt:
        put(plain, dest / name, name, sealing.cipher)
        plain.unlink()
    return {name: entry}


def _files(
    files: Path, dest: Path, sealing: Sealing, previous: Path | None, entries: dict[str, Entry]
) -> int:
    """Back up every file of the store, linking those the previous backup holds alike; count the links."""
    (dest / "files").mkdir()
    before: dict[str, object] = {}
    if previous is not None:
        before = cast(dict[str, object], json.loads((previous / MANIFEST).read_text())["files"])
    linked = 0
    for source in sorted(files.rglob("*")) if files.is_dir() else []:
        relative = source.relative_to(files)
        if relative.parts[0] == WRITING or not source.is_file():
            continue  # a file the store is writing now: it is in the store once renamed into place
        name = f"files/{relative}"
        try:
            entry = describe(source)
        except FileNotFoundError:
            continue  # deleted since the listing (housekeeping): not in the store any more
        earlier = previous / name if previous is not None and before.get(name) == entry else None
        linked += link_or_put(source, dest / name, name, sealing.cipher, earlier)
        entries[name] = entry
    return linked


def _previous(dest: Path, sealing: Sealing) -> Path | None:
    """Return the newest finished backup beside `dest` whose files this one may share, if any."""
    for found in find_backups(dest.parent):
        if not found.finished or found.path == dest:
            continue
        try:
            manifest = json.loads((found.path / MANIFEST).read_text())
        except (OSError, ValueError):
            continue
        if sealing.key is not None and not sealing.key.signed(manifest):
            continue  # not made with the office's key: share nothing with it
        same_key = manifest.get("key_id") == (sealing.key.key_id if sealing.key else None)
        if bool(manifest.get("encrypted")) == sealing.encrypt and (same_key or not sealing.encrypt):
            return found.path
        return None  # the newest is of another kind: start the chain of links afresh
    return None


def read_manifest(src: Path) -> dict[str, object]:
    """Return a backup folder's manifest; refuse a folder without one, or of an unknown format."""
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
    return dict(manifest)


def authenticate(
    src: Path, manifest: dict[str, object], key: BackupKey | None, unauthenticated: bool
) -> None:
    """Refuse a manifest the office's key did not sign (or any signed one, when no key is at hand)."""
    signed = "hmac" in manifest
    if key is None:
        if manifest.get("encrypted"):
            raise BackupRefused(
                "The backup in %(src)s is encrypted: set PUSTAKA_BACKUP_KEY_FILE to the office's backup key.",
                src=str(src),
            )
        if signed and not unauthenticated:
            raise BackupRefused(
                "The backup in %(src)s was signed with a backup key and PUSTAKA_BACKUP_KEY_FILE is not set: "
                "set it to the office's key (or add --unauthenticated to take the backup unchecked).",
                src=str(src),
            )
        return
    if not signed:
        if unauthenticated:
            return
        raise BackupRefused(
            "The backup in %(src)s is not authenticated (its manifest has no HMAC): anyone could have "
            "written it. Add --unauthenticated only if you know where it comes from.",
            src=str(src),
        )
    if manifest.get("key_id") != key.key_id:
        raise BackupRefused(
            "The backup in %(src)s was made with another backup key (%(theirs)s, not %(ours)s): "
            "nothing was changed.",
            src=str(src),
            theirs=str(manifest.get("key_id")),
            ours=key.key_id,
        )
    if not key.signed(manifest):
        raise BackupRefused(
            "The manifest of the backup in %(src)s was changed after it was made (its HMAC does not "
            "match the office's backup key): nothing was changed.",
            src=str(src),
        )


def check_backup(
    src: Path, progress: Progress, *, key: BackupKey | None = None, unauthenticated: bool = False
) -> dict[str, object]:
    """Return a backup's manifest once it is authentic and every file it lists is there, whole."""
    manifest = read_manifest(src)
    authenticate(src, manifest, key, unauthenticated)
    cipher = key if manifest.get("encrypted") else None
    progress("checking every file against the manifest")
    problems = []
    listed = cast(dict[str, object], manifest["files"])
    for path, expected in sorted(listed.items()):
        found = src / path
        if not found.is_file():
            problems.append(f"{path} is missing")
            continue
        try:
            if describe_stored(found, path, cipher) != expected:
                problems.append(f"{path} differs from the manifest")
        except SealBroken:
            problems.append(f"{path} does not decrypt with the office's backup key")
    extra = set(_listed(src)) - set(listed)
    problems += [f"{path} is not in the manifest" for path in sorted(extra)]
    needed = [f"secrets/{name}" for name in KEYS]
    needed.append(SQLITE_FILE if manifest.get("database") == "sqlite" else PG_FILE)
    problems += [f"{path} is not in the backup" for path in needed if path not in listed]
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise BackupRefused(
            "The backup in %(src)s is incomplete or damaged, so nothing was restored: %(problems)s.",
            src=str(src),
            problems=shown,
        )
    return manifest


def restore_backup(
    src: Path, instance: Instance, manifest: dict[str, object], *, key: BackupKey | None, progress: Progress
) -> list[str]:
    """Put a checked backup's database, files and keys in place of the instance's; say what modes were set."""
    if manifest["database"] != instance.kind:
        raise BackupRefused(
            "This backup holds a %(kind)s database and this instance uses %(mine)s: restore it where "
            "it was made (then `pustaka move` takes SQLite to PostgreSQL).",
            kind=str(manifest["database"]),
            mine=instance.kind,
        )
    cipher = key if manifest.get("encrypted") else None
    had = store_group(instance.files)
    listed = sorted(cast(dict[str, object], manifest["files"]))
    progress("database")
    _restore_database(src, instance, cipher)
    progress("files")
    instance.files.mkdir(parents=True, exist_ok=True)
    for path in (p for p in listed if p.startswith("files/")):
        take_out(src / path, instance.files / path.removeprefix("files/"), path, cipher)
    progress("keys")
    instance.secrets.mkdir(parents=True, exist_ok=True, mode=0o700)
    for path in (p for p in listed if p.startswith("secrets/")):
        target = instance.secrets / Path(path).name
        take_out(src / path, target, path, cipher)
        target.chmod(0o600)
    recorded = manifest.get("store_group")
    group = had[0] if had and had[1] else None
    if group is None and isinstance(recorded, dict) and recorded.get("setgid"):
        group = str(recorded["name"])
    if group is None:
        return [
            "the file store's folders were restored with this user's own group (no setgid folder to follow)"
        ]
    progress("file store modes")
    return give_store_to_group(instance.files, group)


def _restore_database(src: Path, instance: Instance, cipher: BackupKey | None) -> None:
    """Put the backup's database in place (decrypted first into a private temporary folder)."""
    name = SQLITE_FILE if instance.kind == "sqlite" else PG_FILE
    with tempfile.TemporaryDirectory(prefix="pustaka-restore-") as scratch:
        plain = src / name
        if cipher is not None:
            plain = Path(scratch) / name
            take_out(src / name, plain, name, cipher)
        if instance.kind == "sqlite":
            instance.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            for leftover in (
                instance.sqlite_path.with_name(instance.sqlite_path.name + s) for s in ("-wal", "-shm")
            ):
                leftover.unlink(missing_ok=True)
            sqlite_copy(plain, instance.sqlite_path)
        else:
            pg_restore(plain, instance.database_url)


def _listed(root: Path) -> list[str]:
    """Return every file under a backup folder but its manifest and marker, as relative paths."""
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and p.name not in (MANIFEST, f".{MANIFEST}.tmp", STARTED)
    )

"""Copying an instance's rows and files to another database and file store, each checked after.

`pustaka move` (cli/move.py) takes a single-machine instance (SQLite and a local file
store) onto PostgreSQL and a shared folder. The rows go in one transaction on the target, in
the order the foreign keys need, and are counted again before it commits: a move that fails
leaves the target as empty as it found it, and can simply be run again. The files are copied
first (content-addressed: a file already there is kept once its checksum is verified, so a
second run copies only what the first did not), each one's sha256 checked as it is written.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, bindparam, func, inspect, select, text

from library.errors import PustakaError, StorageError
from library.filestore import FileStore
from library.models import Base

_STORED = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}")  # a stored file's place, under the root
BATCH = 1000  # rows read and inserted at a time: a million pages' texts never sit in memory at once
_CHUNK = 1024 * 1024

Progress = Callable[[str, int], None]  # (table or "files", how many so far)


class MoveRefused(PustakaError):
    """The target cannot receive the instance (not empty, or not the same rows)."""


@dataclass(frozen=True)
class FileSummary:
    """What a file store holds: how many files, their bytes, and one checksum over all of them."""

    count: int
    size: int
    checksum: str  # sha256 of the sorted digests: equal summaries hold the same files


@dataclass(frozen=True)
class FileCopy:
    """What copying a file store did."""

    copied: int
    already_there: int


# Tables a migration fills on a new database (BPS's subject list, 0043): the target's own rows of
# them are replaced by the source's, which may hold the office's own subjects and merges.
SEEDED = frozenset({"subject_group", "subject_term", "subject_alias"})


def moved_tables(engine: Engine) -> list[Table]:
    """Return the tables a move copies, parents before children: the model's, where they exist."""
    present = set(inspect(engine).get_table_names())
    return [table for table in Base.metadata.sorted_tables if table.name in present]


def count_rows(engine: Engine, tables: list[Table]) -> dict[str, int]:
    """Return how many rows each table holds."""
    with engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) or 0 for t in tables}


def check_target(source: Mapping[str, int], target: Mapping[str, int]) -> bool:
    """Tell whether the rows still have to be copied (an empty target) or are all there already.

    Refuse a target holding other rows: a move never mixes two instances, nor deletes anything.
    """
    if not any(count for name, count in target.items() if name not in SEEDED):
        return True
    if dict(target) == dict(source):
        return False  # an earlier run copied them all (and failed later): go on from there
    busy = ", ".join(f"{name} ({count})" for name, count in target.items() if count)
    raise MoveRefused(
        "The target database already holds rows (%(tables)s) that are not this instance's: "
        "move into an empty database.",
        tables=busy,
    )


def copy_rows(source: Engine, target: Engine, tables: list[Table], progress: Progress) -> dict[str, int]:
    """Copy every row of the tables in one transaction on the target; return the counts copied.

    The counts are read again inside the transaction and compared with the source's before it
    commits; on any difference or error nothing is kept.
    """
    expected = count_rows(source, tables)
    with source.connect() as reading, target.begin() as writing:
        for table in reversed(tables):  # what the target's migrations loaded gives way to the source's
            if table.name in SEEDED:
                writing.execute(table.delete())
        for table in tables:
            _copy_table(reading, writing, table, progress)
        copied = {t.name: writing.scalar(select(func.count()).select_from(t)) or 0 for t in tables}
        if copied != expected:
            differing = [name for name in expected if copied.get(name) != expected[name]]
            raise MoveRefused(
                "The rows copied differ from the source's in %(tables)s (the source changed "
                "during the move?); nothing was kept. Stop the site and run the move again.",
                tables=", ".join(differing),
            )
        if writing.dialect.name == "postgresql":
            reset_sequences(writing)
    return copied


def _copy_table(reading: Connection, writing: Connection, table: Table, progress: Progress) -> None:
    """Copy one table's rows in batches, in key order; a reference to the same table is set after."""
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    keys = list(table.primary_key.columns)
    rows = reading.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(table).order_by(*keys)
    )
    later: list[dict[str, object]] = []
    done = 0
    for batch in rows.mappings().partitions(BATCH):
        values = [dict(row) for row in batch]
        for row in values:
            for name in own:  # the row it points to may come later (a ticket transferred on)
                if row[name] is not None:
                    later.append({**{f"k_{k.name}": row[k.name] for k in keys}, "v": row[name], "c": name})
                    row[name] = None
        writing.execute(table.insert(), values)
        done += len(values)
        progress(table.name, done)
    for name in own:
        pending = [item for item in later if item["c"] == name]
        if pending:
            where = [k == bindparam(f"k_{k.name}") for k in keys]
            statement = table.update().where(*where).values({name: bindparam("v")})
            writing.execute(statement, [{k: v for k, v in item.items() if k != "c"} for item in pending])


def reset_sequences(conn: Connection) -> None:
    """Set every id sequence of the schema past the highest id copied (PostgreSQL)."""
    owned = conn.execute(
        text(
            "SELECT s.oid::regclass::text, t.relname, a.attname FROM pg_class s"
            " JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass"
            " JOIN pg_class t ON t.oid = d.refobjid"
            " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
            " WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace"
        )
    ).all()
    for sequence, table, column in owned:
        highest = f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0)'
        conn.execute(text(f"SELECT setval(CAST(:seq AS regclass), {highest} + 1, false)"), {"seq": sequence})


def summarise_files(store: FileStore, *, verify: bool) -> FileSummary:
    """Count a store's files and bytes; with `verify`, read each one and check it is its digest."""
    digests = sorted(store.digests())
    size = 0
    for digest in digests:
        path = store.path_for(digest)
        size += path.stat().st_size
        if verify and file_sha256(store, digest) != digest:
            raise StorageError(
                "The stored file %(path)s does not match its checksum: it is damaged.", path=str(path)
            )
    checksum = hashlib.sha256("\n".join(digests).encode()).hexdigest()
    return FileSummary(len(digests), size, checksum)


def copy_files(source: FileStore, target: FileStore, progress: Progress) -> FileCopy:
    """Copy every file of the source store into the target, each one's checksum checked."""
    copied = kept = 0
    for done, digest in enumerate(sorted(source.digests()), start=1):
        if target.exists(digest) and file_sha256(target, digest) == digest:
            kept += 1  # a file an earlier run copied
        else:
            if target.exists(digest):  # damaged (a copy cut short by a full disk, say): written again
                target.path_for(digest).unlink()
            stored = target.put_file(source.path_for(digest))
            if stored.sha256 != digest:
                raise StorageError(
                    "The file %(path)s does not match its checksum: it is damaged in the source store.",
                    path=str(source.path_for(digest)),
                )
            copied += 1
        progress("files", done)
    return FileCopy(copied, kept)


def copy_kept_beside(source: FileStore, target: FileStore) -> int:
    """Copy what is kept beside the stored files (the pages' measured ink); return how many were copied.

    Such files are caches, made again when missing; copied, the first copies on the new store
    need not measure every page again. Each is written whole under a temporary name, then renamed.
    """
    copied = 0
    for path in sorted(source.root.rglob("*")):
        relative = path.relative_to(source.root)
        if not path.is_file() or relative.parts[0] == "tmp" or _STORED.fullmatch(relative.as_posix()):
            continue
        destination = target.root / relative
        if destination.is_file():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.with_name(f".{destination.name}.{secrets.token_hex(6)}.tmp")
        try:
            shutil.copyfile(path, temporary)
            os.replace(temporary, destination)
        finally:
            temporary.unlink(missing_ok=True)
        copied += 1
    return copied


def file_sha256(store: FileStore, digest: str) -> str:
    """Read a stored file and return its actual sha256."""
    hashed = hashlib.sha256()
    with store.open(digest) as handle:
        for chunk in _chunks(handle.read):
            hashed.update(chunk)
    return hashed.hexdigest()


def _chunks(read: Callable[[int], bytes]) -> Iterator[bytes]:
    """Yield a stream's content a megabyte at a time."""
    while chunk := read(_CHUNK):
        yield chunk

"""Readiness: may this instance serve people now? Each part checked and named.

/readyz, `pustaka check`, the metrics and the alerts read the same parts:

- `database`: it answers, with the schema this code needs;
- `redis`: when PUSTAKA_REDIS_URL is set, it answers (sign-ins, limits and the lanes need it);
- `workers`: every lane has at least one live worker (its heartbeat younger than the lease);
- `queue`: no lane's oldest waiting job is older than PUSTAKA_READY_QUEUE_MINUTES;
- `disk`: the file store's volume has at least PUSTAKA_READY_MIN_FREE_MB free;
- `files`: the file store takes a write (a volume remounted read-only, or an owner changed by
  hand, stops every upload, scan and copy);
- `backup`: the last good backup (`backup_run`, which every host reads) is younger than
  PUSTAKA_BACKUP_MAX_AGE_HOURS. An instance that never made a backup is not held to it (a
  fresh or development instance stays ready; its detail says "no backup made yet"); one whose
  runs all failed is not ready.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from dataclasses import dataclass

import redis
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from library import migrate
from library.moving.runs import BackupStatus, backup_status
from library.settings import Settings
from runtime.lane_health import LaneHealth

REDIS_TIMEOUT = 2.0  # seconds: a probe must answer while Redis is away


@dataclass(frozen=True)
class Part:
    """One checked part: ok or not, and what a person reads about it."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Readiness:
    """Every part, and the lanes as they were read."""

    parts: tuple[Part, ...]
    lanes: tuple[LaneHealth, ...]
    free_mb: int | None
    backup: BackupStatus | None = None

    @property
    def ok(self) -> bool:
        """Tell whether every part is ready."""
        return all(part.ok for part in self.parts)

    def as_json(self) -> dict:
        """Return the answer of /readyz: each part's status and detail, and the failing ones named."""
        return {
            "status": "ok" if self.ok else "error",
            "failing": [part.name for part in self.parts if not part.ok],
            "checks": {part.name: {"ok": part.ok, "detail": part.detail} for part in self.parts},
            "lanes": {
                lane.lane: {
                    "depth": lane.depth,
                    "oldest_seconds": None if lane.oldest_seconds is None else round(lane.oldest_seconds, 1),
                    "workers": list(lane.workers),
                }
                for lane in self.lanes
            },
        }


def readiness(rt) -> Readiness:
    """Check every part of this instance (`rt`: the process's runtime)."""
    settings: Settings = rt.settings
    parts = [_database(rt), *([_redis(settings.redis_url)] if settings.redis_url else [])]
    try:
        lanes = tuple(rt.jobs.health(now=rt.now().timestamp()))
    except Exception as error:  # noqa: BLE001 - whatever the lanes' storage raises, named below
        lanes = ()
        parts.append(Part("workers", False, f"the job lanes cannot be read: {_said(error)}"))
        parts.append(Part("queue", False, f"the job lanes cannot be read: {_said(error)}"))
    else:
        parts.append(_workers(lanes))
        parts.append(_queue(lanes, settings.ready_queue_minutes))
    disk, free_mb = _disk(settings)
    parts.append(disk)
    parts.append(_files_writable(settings))
    backup_part, backup = _backup(rt)
    parts.append(backup_part)
    return Readiness(tuple(parts), lanes, free_mb, backup)


def _database(rt) -> Part:
    try:
        with rt.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = migrate.is_up_to_date(rt.engine)
    except SQLAlchemyError as error:
        return Part("database", False, f"unreachable: {_said(error)}")
    if not current:
        return Part("database", False, "the schema is out of date: run 'pustaka db upgrade'")
    return Part("database", True, "answers, schema current")


def _redis(url: str) -> Part:
    client = redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)
    try:
        client.ping()
    except redis.RedisError as error:
        return Part("redis", False, f"unreachable: {_said(error)}")
    finally:
        client.close()
    return Part("redis", True, "answers")


def _workers(lanes: tuple[LaneHealth, ...]) -> Part:
    idle = [lane for lane in lanes if not lane.workers]
    if not idle:
        return Part("workers", True, ", ".join(f"{lane.lane}: {len(lane.workers)} live" for lane in lanes))
    return Part(
        "workers",
        False,
        "; ".join(
            f"no live worker on the {lane.lane} lane"
            + ("" if lane.last_seen_seconds is None else f" (last seen {lane.last_seen_seconds:.0f} s ago)")
            for lane in idle
        ),
    )


def _queue(lanes: tuple[LaneHealth, ...], minutes: int) -> Part:
    late = [lane for lane in lanes if lane.oldest_seconds is not None and lane.oldest_seconds > minutes * 60]
    if not late:
        return Part("queue", True, ", ".join(f"{lane.lane}: {lane.depth} waiting" for lane in lanes))
    return Part(
        "queue",
        False,
        "; ".join(
            f"the {lane.lane} lane's oldest job has waited {lane.oldest_seconds / 60:.0f} minutes "
            f"({lane.depth} waiting; the limit is {minutes})"
            for lane in late
            if lane.oldest_seconds is not None
        ),
    )


def _disk(settings: Settings) -> tuple[Part, int | None]:
    folder = settings.files_path
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # a store not made yet: its volume is the nearest folder's
    try:
        free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
    except OSError as error:
        return Part("disk", False, f"the file store's volume cannot be read: {_said(error)}"), None
    if free_mb < settings.ready_min_free_mb:
        detail = (
            f"{free_mb} MB free on the file store's volume, under the {settings.ready_min_free_mb} MB set"
        )
        return Part("disk", False, detail), free_mb
    return Part("disk", True, f"{free_mb} MB free"), free_mb


def _files_writable(settings: Settings) -> Part:
    """Write and remove a small file where the file store writes first (its `tmp` folder)."""
    folder = settings.files_path / "tmp"
    probe = folder / f".ready-{socket.gethostname()}-{os.getpid()}-{threading.get_ident()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as error:
        return Part(
            "files",
            False,
            f"the file store {settings.files_path} refuses writes ({error.strerror or _said(error)}): "
            "nothing can be uploaded, scanned or stamped; see `pustaka check`",
        )
    return Part("files", True, "the file store takes writes")


def _backup(rt) -> tuple[Part, BackupStatus | None]:
    """Check the age of the last good backup against PUSTAKA_BACKUP_MAX_AGE_HOURS."""
    limit = rt.settings.backup_max_age_hours
    try:
        with rt.uow() as uow:
            status = backup_status(uow)
    except SQLAlchemyError as error:
        return Part("backup", False, f"the backups' record cannot be read: {_said(error)}"), None
    now = rt.now()
    if status.last_good_at is None:
        if status.last_run_ok is None:
            return Part("backup", True, "no backup made yet"), status
        return Part(
            "backup", False, f"no good backup yet; the last run failed: {status.last_error[:200]}"
        ), status
    hours = (now - status.last_good_at).total_seconds() / 3600
    detail = f"the last good backup is {hours:.1f} h old"
    if status.last_run_ok is False:
        detail += f"; the last run failed: {status.last_error[:200]}"
    if limit and hours > limit:
        return Part("backup", False, f"{detail}, over the {limit} h set"), status
    return Part("backup", True, detail), status


def _said(error: BaseException) -> str:
    """Return an error's first line, short (a driver's message can run to pages)."""
    words = str(error).strip().splitlines()
    return (words[0] if words else type(error).__name__)[:200]

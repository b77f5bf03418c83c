"""How each job lane is doing: jobs waiting, the oldest one's age, and the workers alive.

Huey keeps no time on a queued message, so each lane keeps a small ledger in its own storage
(Redis, or the instance's jobs.sqlite3), beside its queue:

- `queued:<task id>` -> when the job became due: written by Huey's ENQUEUED and SCHEDULED
  signals (a job scheduled for later, such as a survey email or a retry, counts from its due
  time) and removed when a worker starts it, or when it is revoked or expires.
- `worker:<host>:<pid>` -> when a process consuming the lane last said it is alive: every
  half lease, in its recovery round (`runtime.consumer.Recovery`). A worker is alive while its
  last word is younger than the lease (PUSTAKA_JOB_LEASE_SECONDS).

Readiness (/readyz), the metrics and the alerts read the same `LaneHealth`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from dataclasses import dataclass

from huey import Huey
from huey import signals as S

from runtime.counted import counted

log = logging.getLogger(__name__)
QUEUED, WORKER = "queued:", "worker:"
FORGET_WORKERS_AFTER = 86_400  # a worker silent for a day is forgotten (its entry deleted)


@dataclass(frozen=True)
class LaneHealth:
    """One lane at one moment."""

    lane: str
    depth: int  # jobs waiting in the queue now
    oldest_seconds: float | None  # the age of the oldest waiting job (None: none waits)
    workers: tuple[str, ...]  # the live workers, as host:pid
    last_seen_seconds: float | None  # how long ago the most recent worker spoke (None: never)


def watch(huey: Huey, lane: str) -> None:
    """Keep the lane's ledger of when each job became due, and count the jobs ended (Huey's signals)."""

    @huey.signal(S.SIGNAL_ENQUEUED, S.SIGNAL_SCHEDULED)
    def _due(signal: str, task, *args) -> None:
        if huey.immediate:
            return  # run at once, in the caller: nothing waits
        due = time.time()
        if task.eta is not None:  # naive, in UTC or local time as the Huey instance keeps them
            eta = task.eta.replace(tzinfo=dt.UTC) if huey.utc else task.eta.astimezone()
            due = max(due, eta.timestamp())
        huey.storage.put_data(QUEUED + task.id, repr(due).encode())

    @huey.signal(S.SIGNAL_EXECUTING, S.SIGNAL_REVOKED, S.SIGNAL_EXPIRED)
    def _gone(signal: str, task, *args) -> None:
        if not huey.immediate:
            huey.storage.delete_data(QUEUED + task.id)

    @huey.signal(S.SIGNAL_COMPLETE, S.SIGNAL_ERROR, S.SIGNAL_RETRYING)
    def _ended(signal: str, task, *args) -> None:
        if signal == S.SIGNAL_ERROR and task.retries:
            return  # a retry follows: counted as retried
        outcome = {S.SIGNAL_COMPLETE: "done", S.SIGNAL_ERROR: "failed", S.SIGNAL_RETRYING: "retried"}[signal]
        counted().jobs.labels(lane, task.name, outcome).inc()


def worker_name() -> str:
    """Return this process's name among the workers: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(huey: Huey, now: float | None = None) -> None:
    """Say that this process consumes the lane and is alive."""
    huey.storage.put_data(WORKER + worker_name(), repr(time.time() if now is None else now).encode())


def lane_health(lane: str, huey: Huey, lease_seconds: float, now: float | None = None) -> LaneHealth:
    """Return the lane's depth, oldest job's age and live workers (raises what its storage raises)."""
    now = time.time() if now is None else now
    depth = huey.pending_count()
    queued: list[float] = []
    seen: dict[str, float] = {}
    stale: list[str] = []
    for key, value in huey.storage.result_items().items():
        stamp = _stamp(value)
        if key.startswith(QUEUED) and stamp is not None:
            queued.append(stamp)
            if not depth and now - stamp > 2 * lease_seconds:
                stale.append(key)  # its job is no longer queued (the queue was emptied by hand)
        elif key.startswith(WORKER) and stamp is not None:
            seen[key.removeprefix(WORKER)] = stamp
            if now - stamp > FORGET_WORKERS_AFTER:
                stale.append(key)
    for key in stale:
        huey.storage.delete_data(key)
    due = [stamp for stamp in queued if stamp <= now]
    return LaneHealth(
        lane=lane,
        depth=depth,
        oldest_seconds=now - min(due) if depth and due else None,
        workers=tuple(sorted(name for name, stamp in seen.items() if now - stamp <= lease_seconds)),
        last_seen_seconds=now - max(seen.values()) if seen else None,
    )


def _stamp(value: object) -> float | None:
    """Return a ledger entry's time, or None for a value that is not one."""
    try:
        return float(value.decode() if isinstance(value, bytes) else str(value))
    except (UnicodeDecodeError, ValueError):
        return None

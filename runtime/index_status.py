"""What the search page tells readers while the catalogue is still being built.

Two things make search results incomplete for a while: publications still being taken in
(counted from the ingest jobs), and `pustaka reindex` rebuilding the index on a live site
(which reports its progress in a small file beside the index, removed when it ends). Both are
read at most every few seconds per process, so a busy search page does not pay for them.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from library.intake.read_models import IntakeProgress, intake_in_progress
from runtime.root import Runtime

STALE_SECONDS = 600  # a reindex that has not reported for this long is taken as gone
CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Rebuild:
    """How far a running reindex is."""

    done: int
    total: int


@dataclass(frozen=True)
class CatalogueStatus:
    """What is still on its way into search."""

    intake: IntakeProgress
    rebuild: Rebuild | None


class RebuildReport:
    """The progress file of a reindex: written while it runs, removed when it ends."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, done: int, total: int) -> None:
        """Record progress (atomically: readers never see half a file)."""
        partial = self.path.with_suffix(f".{os.getpid()}.tmp")
        partial.parent.mkdir(parents=True, exist_ok=True)  # on PostgreSQL's index nothing else made it
        partial.write_text(json.dumps({"done": done, "total": total, "pid": os.getpid(), "at": time.time()}))
        partial.replace(self.path)

    def clear(self) -> None:
        """Say the reindex ended."""
        self.path.unlink(missing_ok=True)

    def read(self) -> Rebuild | None:
        """Return the progress of a live reindex, or None."""
        try:
            data = json.loads(self.path.read_text())
            done, total, pid, at = int(data["done"]), int(data["total"]), int(data["pid"]), float(data["at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if time.time() - at > STALE_SECONDS or not _alive(pid):
            return None
        return Rebuild(done=done, total=total)


def rebuild_report(rt: Runtime) -> RebuildReport:
    """Return the reindex progress file of this instance."""
    return RebuildReport(rt.settings.instance_path / "reindex-progress.json")


class StatusCache:
    """The catalogue status, read again at most every CACHE_SECONDS."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: CatalogueStatus | None = None
        self._read_at = -CACHE_SECONDS

    def get(self, rt: Runtime) -> CatalogueStatus:
        """Return the status, fresh to within a few seconds."""
        with self._lock:
            if self._value is not None and time.monotonic() - self._read_at < CACHE_SECONDS:
                return self._value
        with rt.uow() as uow:
            intake = intake_in_progress(uow)
        value = CatalogueStatus(intake=intake, rebuild=rebuild_report(rt).read())
        with self._lock:
            self._value, self._read_at = value, time.monotonic()
        return value


def _alive(pid: int) -> bool:
    """Tell whether a process with this id is running (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

"""The hot folder: files a scanner drops are taken in once complete, then filed away.

A file (or a sub-folder of page images) is taken once its size and modification time have
stayed the same for the settle time, so nothing is read while the scanner still writes it.
It then stays in place while its job runs and moves to `done/` when the publication is
ready, or to `failed/` with a reason file beside it. The poller keeps no state it cannot
rebuild: after a restart the same file is recognised by its digest. The sub-folder `pindai/`
is not taken in here: pages scanned for a visitor arrive there (`library.frontoffice`).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ingest.limits import Limits
from library.errors import PustakaError
from library.filestore import FileStore
from library.intake.submit import AlreadyIngested, check_submit
from library.job_queue import JobQueue
from library.models import IngestChannel, IngestJob, IngestStatus
from library.permissions import SYSTEM
from library.uow import UnitOfWork

log = logging.getLogger(__name__)

DONE, FAILED = "done", "failed"
# The sub-folder where pages scanned for a walk-in visitor arrive (library.frontoffice takes them).
SCANS = "pindai"
# Names scanners and copy tools use while a file is still being written.
PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".filepart", "~")

Describe = Callable[[PustakaError], str]


@dataclass
class HotFolder:
    """A watched folder and what the poller remembers between two looks."""

    root: Path
    settle_seconds: float = 5.0
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, tuple[tuple, float]] = field(default_factory=dict)
    _jobs: dict[str, int] = field(default_factory=dict)

    def candidates(self) -> Iterator[Path]:
        """Yield the files and sub-folders waiting in the folder."""
        for path in sorted(self.root.iterdir()):
            if path.name in (DONE, FAILED, SCANS) or path.name.startswith("."):
                continue
            if path.name.lower().endswith(PARTIAL_SUFFIXES):
                continue
            if path.is_file() or path.is_dir():
                yield path

    def settled(self, path: Path) -> bool:
        """Tell whether a path has stopped changing for the settle time."""
        signature = _signature(path)
        now = self.clock()
        previous = self._seen.get(path.name)
        if previous is None or previous[0] != signature:
            self._seen[path.name] = (signature, now)
            return False
        return now - previous[1] >= self.settle_seconds

    def forget_gone(self, present: list[Path]) -> None:
        """Forget what was remembered about entries no longer in the folder."""
        gone = set(self._seen) - {p.name for p in present if p.exists()}
        for name in gone:
            self._seen.pop(name, None)
            self._jobs.pop(name, None)


@dataclass(frozen=True)
class HotFolderEvent:
    """What one look at the hot folder did to one entry."""

    name: str
    outcome: str  # "queued", "done", "failed", "waiting"
    detail: str = ""


def poll_hot_folder(
    hot: HotFolder,
    uow_factory: Callable[[], UnitOfWork],
    store: FileStore,
    queue: JobQueue,
    limits: Limits,
    describe: Describe,
    *,
    now: dt.datetime,
) -> list[HotFolderEvent]:
    """Look at the hot folder once: take in settled entries and file away finished ones."""
    events = []
    present = list(hot.candidates())
    for path in present:
        if not hot.settled(path):
            continue
        try:
            events.append(_handle(hot, path, uow_factory, store, queue, limits, describe, now))
        except OSError as exc:
            log.warning("Hot folder: cannot handle %s yet: %s", path.name, exc)
    hot.forget_gone(present)
    return events


def _handle(
    hot: HotFolder,
    path: Path,
    uow_factory: Callable[[], UnitOfWork],
    store: FileStore,
    queue: JobQueue,
    limits: Limits,
    describe: Describe,
    now: dt.datetime,
) -> HotFolderEvent:
    """Submit one settled entry, or file it away if its job has ended."""
    job_id = hot._jobs.get(path.name)
    if job_id is None:
        try:
            with uow_factory() as uow:
                submission = check_submit(
                    uow, store, queue, SYSTEM, path, channel=IngestChannel.HOT_FOLDER, limits=limits, now=now
                )
                uow.commit()
        except AlreadyIngested:
            file_away(hot.root, path, DONE)
            return HotFolderEvent(path.name, "done", "already in the library")
        except PustakaError as exc:
            file_away(hot.root, path, FAILED, describe(exc))
            return HotFolderEvent(path.name, "failed", str(exc))
        hot._jobs[path.name] = job_id = submission.job_id
        if submission.status is IngestStatus.QUEUED and not submission.already_queued:
            return HotFolderEvent(path.name, "queued")
    with uow_factory() as uow:
        job = uow.session.get(IngestJob, job_id)
        status = IngestStatus(job.status) if job else IngestStatus.FAILED
        reason = _job_reason(job, describe) if job else "The job has disappeared."
    if status is IngestStatus.READY:
        file_away(hot.root, path, DONE)
        hot._jobs.pop(path.name, None)
        return HotFolderEvent(path.name, "done")
    if status is IngestStatus.FAILED:
        file_away(hot.root, path, FAILED, reason)
        hot._jobs.pop(path.name, None)
        return HotFolderEvent(path.name, "failed", reason)
    return HotFolderEvent(path.name, "waiting")


def _job_reason(job: IngestJob, describe: Describe) -> str:
    """Return why a job failed, in words for people."""
    error = PustakaError(job.error_message or "%(detail)s", **(job.error_params or {}))
    return describe(error)


def file_away(root: Path, path: Path, where: str, reason: str = "") -> Path:
    """Move an entry into done/ or failed/ (never overwriting), with its reason beside it."""
    target_dir = root / where
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    counter = 1
    while target.exists():
        target = target_dir / f"{path.stem}-{counter}{path.suffix}"
        counter += 1
    shutil.move(str(path), str(target))
    if reason:
        (target_dir / f"{target.name}.reason.txt").write_text(reason.rstrip() + "\n", encoding="utf-8")
    return target


def _signature(path: Path) -> tuple:
    """Return what changes while a file or folder is still being written."""
    if path.is_file():
        stat = path.stat()
        return (stat.st_size, stat.st_mtime_ns)
    return tuple(
        (str(p.relative_to(path)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(path.rglob("*"))
        if p.is_file()
    )


@contextmanager
def watcher_lock(root: Path) -> Iterator[bool]:
    """Hold the hot folder's lock while watching: one watcher per folder, whatever the host."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / ".pustaka-watcher.lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)

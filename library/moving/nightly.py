"""One backup run, as the timer, the command line and the admin page's job make it.

Recorded in `backup_run` as it starts and ends; a good backup is copied off the machine
(PUSTAKA_BACKUP_COPY_COMMAND) and the retention policy is applied to the backup folder. A run
that fails, or whose copy off the machine fails (the local backup is kept), emails the
administrators through the alerts (`library.operations`). What the settings say is handed in as
a `BackupPlan` (`runtime.backup_plan` reads it from them).
"""

from __future__ import annotations

import datetime as dt
import logging
import shlex
import subprocess
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import text

from library.errors import PustakaError
from library.mail import Mailer
from library.moving.backups import Instance, Made, Sealing, make_backup
from library.moving.retention import Decision, prune
from library.moving.runs import finish_run, record_kept, start_run
from library.operations.alerts import BACKUP_FAILED, Condition, raise_alerts
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
COPY_TIMEOUT = 6 * 3600  # seconds an off-machine copy may take before it counts as failed


@dataclass(frozen=True)
class BackupPlan:
    """How this instance backs up, as its settings say."""

    instance: Instance
    folder: Path  # PUSTAKA_BACKUP_DIR
    keep: dict[str, int]  # PUSTAKA_BACKUP_KEEP, read
    keep_text: str
    sealing: Sealing
    copy_command: str
    alert_every: dt.timedelta | None  # None: no alert emails
    live_page: str  # the address the alert emails point to


class BackupHost(Protocol):
    """What a backup run needs of the process's runtime."""

    def transaction(self) -> AbstractContextManager[UnitOfWork]: ...
    def now(self) -> dt.datetime: ...
    def timezone(self) -> str: ...
    @property
    def mailer(self) -> Mailer: ...


class CopyFailed(PustakaError):
    """The copy off the machine failed; the local backup is kept."""


def dated_folder(folder: Path, now: dt.datetime) -> Path:
    """Return a new dated folder in the backup folder for a backup made now."""
    base = folder / now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H%M%SZ")
    dest, n = base, 1
    while dest.exists():
        n += 1
        dest = base.with_name(f"{base.name}-{n}")
    return dest


def run_backup(
    host: BackupHost, plan: BackupPlan, dest: Path | None, progress: Callable[[str], None]
) -> Made:
    """Make one backup (into `dest`, or a dated folder), record it, copy it off, prune; alert on failure."""
    now = host.now().replace(microsecond=0)  # as the manifest says it, to the second
    dest = (dest or dated_folder(plan.folder, now)).absolute()  # as the record and the page name it
    with host.transaction() as uow:
        run_id = start_run(uow, dest, now)
        schema = uow.session.execute(text("SELECT version_num FROM alembic_version")).scalar() or "none"
    try:
        made = make_backup(
            plan.instance, dest, release=version("pustaka"), schema=schema, made_at=now,
            sealing=plan.sealing, progress=progress,
        )  # fmt: skip
    except (PustakaError, OSError) as error:
        _finished(host, plan, run_id, str(error), None)
        raise
    figures = (made.files, made.size, made.written)
    try:
        copy_off(plan.copy_command, dest, progress)
    except CopyFailed as error:
        _finished(host, plan, run_id, str(error), figures)
        raise
    _finished(host, plan, run_id, "", figures)
    if dest.parent == plan.folder:
        apply_policy(host, plan)
    return made


def copy_off(command: str, path: Path, progress: Callable[[str], None]) -> None:
    """Run the off-machine copy command on a backup folder (no shell); refuse when it fails."""
    if not command.strip():
        return
    progress("copy off the machine")
    argv = [part.replace("{path}", str(path)) for part in shlex.split(command)]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=COPY_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CopyFailed(
            "The copy off the machine (%(program)s) failed: %(said)s. The backup in %(path)s is kept.",
            program=argv[0] if argv else "", said=str(error), path=str(path),
        ) from None  # fmt: skip
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise CopyFailed(
            "The copy off the machine (%(program)s) failed: %(said)s. The backup in %(path)s is kept.",
            program=argv[0], said=said, path=str(path),
        )  # fmt: skip


def apply_policy(host: BackupHost, plan: BackupPlan) -> Decision:
    """Remove the backups the retention policy no longer keeps, and note it in the record."""
    now = host.now()
    decision = prune(plan.folder, plan.keep, now, ZoneInfo(host.timezone()))
    with host.transaction() as uow:
        record_kept(uow, decision.kept, decision.removed, now)
    for path in decision.removed:
        log.info("Backup %s removed: the retention policy (%s) no longer keeps it.", path, plan.keep_text)
    return decision


def _finished(
    host: BackupHost, plan: BackupPlan, run_id: int, error: str, figures: tuple[int, int, int] | None
) -> None:
    """Record the run's end; email the administrators about a failed one (or mark the alert over)."""
    now = host.now()
    with host.transaction() as uow:
        finish_run(uow, run_id, now, ok=not error, error=error, made=figures or (0, 0, 0))
        if plan.alert_every is None:
            return
        holding = [] if not error else [_condition(error)]
        sent = raise_alerts(
            uow, host.mailer, holding, [BACKUP_FAILED], now, plan.alert_every, plan.live_page, host.timezone()
        )
    if error:
        log.error("Backup failed%s: %s", " (administrators emailed)" if sent else "", error)


def _condition(error: str) -> Condition:
    """Return the alert about a failed backup."""
    return Condition(
        BACKUP_FAILED,
        "Pencadangan gagal",
        "The backup failed",
        f"Pencadangan terakhir gagal: {error} Jalankan `pustaka backup` dan baca pesannya.",
        f"The last backup failed: {error} Run `pustaka backup` and read what it says.",
    )

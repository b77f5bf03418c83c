"""One backup run, as the timer, the command line and the admin page's job make it.

Recorded in `backup_run` as it starts and ends; a good backup is copied off the machine
(PUSTAKA_BACKUP_COPY_COMMAND) and the retention policy is applied to the backup folder. A run
that fails, or whose copy off the machine fails (the local backup is kept), emails the
administrators through the alerts (`library.operations.alerts`).
"""

from __future__ import annotations

import datetime as dt
import logging
import shlex
import subprocess
from collections.abc import Callable
from contextlib import AbstractContextManager
from importlib.metadata import version
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url

from library import migrate
from library.errors import PustakaError
from library.mail import Mailer
from library.moving.backups import Instance, Made, Sealing, make_backup
from library.moving.retention import Decision, prune
from library.moving.runs import finish_run, record_kept, start_run
from library.moving.sealing import read_key_file
from library.operations.alerts import BACKUP_FAILED, Condition, raise_alerts
from library.settings import Settings
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
COPY_TIMEOUT = 6 * 3600  # seconds an off-machine copy may take before it counts as failed
LIVE_PAGE = "/laporan/sekarang"


class BackupHost(Protocol):
    """What a backup run needs of the process's runtime."""

    settings: Settings

    def transaction(self) -> AbstractContextManager[UnitOfWork]: ...
    def now(self) -> dt.datetime: ...
    def timezone(self) -> str: ...
    @property
    def mailer(self) -> Mailer: ...


class CopyFailed(PustakaError):
    """The copy off the machine failed; the local backup is kept."""


def instance_of(settings: Settings) -> Instance:
    """Return where the instance keeps its database, files and keys."""
    url = make_url(settings.sqlalchemy_url)
    sqlite_path = Path(url.database or "") if url.get_backend_name() == "sqlite" else Path()
    return Instance(
        database_url=settings.database_url,
        sqlite_path=sqlite_path,
        files=settings.files_path,
        secrets=settings.secrets_path,
    )


def sealing_of(settings: Settings) -> Sealing:
    """Return how backups are protected by the settings: the office's key, encryption."""
    if not settings.backup_key_file:
        return Sealing()
    return Sealing(read_key_file(Path(settings.backup_key_file)), settings.backup_encrypt)


def dated_folder(settings: Settings, now: dt.datetime) -> Path:
    """Return a new dated folder in the backup folder for a backup made now."""
    base = settings.backup_path / now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H%M%SZ")
    dest, n = base, 1
    while dest.exists():
        n += 1
        dest = base.with_name(f"{base.name}-{n}")
    return dest


def run_backup(
    host: BackupHost, instance: Instance, dest: Path | None, progress: Callable[[str], None]
) -> Made:
    """Make one backup (into `dest`, or a dated folder), record it, copy it off, prune; alert on failure."""
    settings, now = host.settings, host.now()
    dest = dest or dated_folder(settings, now)
    with host.transaction() as uow:
        run_id = start_run(uow, dest, now)
        schema = migrate.current_revision(uow.session.get_bind()) or "none"  # type: ignore[arg-type]
    try:
        made = make_backup(
            instance, dest, release=version("pustaka"), schema=schema, made_at=now,
            sealing=sealing_of(settings), progress=progress,
        )  # fmt: skip
    except (PustakaError, OSError) as error:
        _finished(host, run_id, str(error), None)
        raise
    figures = (made.files, made.size, made.written)
    try:
        copy_off(settings.backup_copy_command, dest, progress)
    except CopyFailed as error:
        _finished(host, run_id, str(error), figures)
        raise
    _finished(host, run_id, "", figures)
    if dest.parent == settings.backup_path:
        apply_policy(host)
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


def apply_policy(host: BackupHost) -> Decision:
    """Remove the backups the retention policy no longer keeps, and note it in the record."""
    settings = host.settings
    now = host.now()
    decision = prune(settings.backup_path, settings.backup_policy, now, ZoneInfo(host.timezone()))
    with host.transaction() as uow:
        record_kept(uow, decision.kept, decision.removed, now)
    for path in decision.removed:
        log.info(
            "Backup %s removed: the retention policy (%s) no longer keeps it.", path, settings.backup_keep
        )
    return decision


def _finished(host: BackupHost, run_id: int, error: str, figures: tuple[int, int, int] | None) -> None:
    """Record the run's end; email the administrators about a failed one (or mark the alert over)."""
    settings, now = host.settings, host.now()
    with host.transaction() as uow:
        finish_run(uow, run_id, now, ok=not error, error=error, made=figures or (0, 0, 0))
        if settings.alert_every_minutes <= 0:
            return
        holding = [] if not error else [_condition(error)]
        sent = raise_alerts(
            uow, host.mailer, holding, [BACKUP_FAILED], now,
            dt.timedelta(minutes=settings.alert_every_minutes),
            settings.base_url.rstrip("/") + LIVE_PAGE, host.timezone(),
        )  # fmt: skip
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

"""The record of backup runs in the database (`backup_run`), which every host reads.

`pustaka backup` writes a row when it starts and completes it when it ends; `--verify` and the
retention policy note what they found. /readyz, /metrics, the live page and the admin page read
`backup_status` and `listed_runs`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from library.models import BackupRun
from library.uow import UnitOfWork


@dataclass(frozen=True)
class BackupStatus:
    """The last good backup and the last run, as every host reads them."""

    last_good_at: dt.datetime | None
    last_run_ok: bool | None  # None: no run finished yet
    last_error: str
    last_good_path: str


def start_run(uow: UnitOfWork, path: Path, now: dt.datetime) -> int:
    """Record a backup run as started; return its id."""
    run = BackupRun(started_at=now, path=str(path))
    uow.session.add(run)
    uow.session.flush()
    return run.id


def finish_run(
    uow: UnitOfWork,
    run_id: int,
    now: dt.datetime,
    *,
    ok: bool,
    error: str = "",
    made: tuple[int, int, int] = (0, 0, 0),
) -> None:
    """Record how a run ended: good, with its (files, size, bytes written), or failed with its error."""
    run = uow.session.get_one(BackupRun, run_id)
    run.finished_at, run.ok, run.error = now, ok, error[:2000]
    run.files, run.size_bytes, run.written_bytes = made


def record_verified(uow: UnitOfWork, path: Path, now: dt.datetime, *, ok: bool) -> None:
    """Note that the backup at `path` was verified now, and how it went."""
    uow.session.execute(
        update(BackupRun).where(BackupRun.path == str(path)).values(verified_at=now, verified_ok=ok)
    )


def record_kept(
    uow: UnitOfWork, kept: dict[Path, list[str]], removed: Iterable[Path], now: dt.datetime
) -> None:
    """Note which rules keep each backup, and which the policy removed."""
    for path, rules in kept.items():
        uow.session.execute(
            update(BackupRun).where(BackupRun.path == str(path)).values(kept_by=", ".join(rules))
        )
    for path in removed:
        uow.session.execute(
            update(BackupRun)
            .where(BackupRun.path == str(path), BackupRun.removed_at.is_(None))
            .values(removed_at=now, kept_by="")
        )


def backup_status(uow: UnitOfWork) -> BackupStatus:
    """Return the last good backup's time and path, and how the last finished run went."""
    good = uow.session.execute(
        select(BackupRun.finished_at, BackupRun.path)
        .where(BackupRun.ok.is_(True))
        .order_by(BackupRun.finished_at.desc())
        .limit(1)
    ).first()
    last = uow.session.execute(
        select(BackupRun.ok, BackupRun.error)
        .where(BackupRun.finished_at.is_not(None))
        .order_by(BackupRun.finished_at.desc(), BackupRun.id.desc())
        .limit(1)
    ).first()
    return BackupStatus(
        last_good_at=good.finished_at if good else None,
        last_run_ok=last.ok if last else None,
        last_error=last.error if last else "",
        last_good_path=good.path if good else "",
    )


def listed_runs(uow: UnitOfWork, limit: int = 100) -> list[BackupRun]:
    """Return the newest runs whose backup is still kept (or that failed), newest first."""
    return list(
        uow.session.scalars(
            select(BackupRun)
            .where(BackupRun.removed_at.is_(None))
            .order_by(BackupRun.started_at.desc(), BackupRun.id.desc())
            .limit(limit)
        )
    )


def settle_restored(uow: UnitOfWork, made_at: dt.datetime, src: Path) -> None:
    """Mark, in a restored database, the run that made the backup as the good run it was.

    The backup copied the database while its own run's row still said "running".
    """
    uow.session.execute(
        update(BackupRun)
        .where(BackupRun.finished_at.is_(None), BackupRun.started_at == made_at)
        .values(finished_at=made_at, ok=True, path=str(src))
    )

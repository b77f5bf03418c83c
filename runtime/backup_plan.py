"""How this instance backs up, read from its settings: the plan `library.moving.nightly` runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import make_url

from library.moving.backups import Instance, Sealing
from library.moving.nightly import BackupPlan
from library.moving.sealing import read_key_file
from library.settings import Settings

LIVE_PAGE = "/laporan/sekarang"


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
    """Return how backups are protected: the office's key (read now, refused when unreadable), encryption."""
    if not settings.backup_key_file:
        return Sealing()
    return Sealing(read_key_file(Path(settings.backup_key_file).expanduser()), settings.backup_encrypt)


def plan_of(settings: Settings) -> BackupPlan:
    """Return how this instance backs up, as its settings say."""
    minutes = settings.alert_every_minutes
    return BackupPlan(
        instance=instance_of(settings),
        folder=settings.backup_path,
        keep=settings.backup_policy,
        keep_text=settings.backup_keep,
        sealing=sealing_of(settings),
        copy_command=settings.backup_copy_command,
        alert_every=dt.timedelta(minutes=minutes) if minutes > 0 else None,
        live_page=settings.base_url.rstrip("/") + LIVE_PAGE,
    )

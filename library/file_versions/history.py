"""A publication's file versions: the current one, recording a new one, and which one a file is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from library.models import FileVersion
from library.uow import UnitOfWork


@dataclass(frozen=True)
class NewFile:
    """The files a finished ingest made for a publication, and who brought them and why."""

    master_sha256: str
    copy_sha256: str
    thumbnail_sha256: str
    page_count: int | None
    original_name: str = ""
    reason: str = ""
    by_user_id: int | None = None


@dataclass(frozen=True)
class VersionNote:
    """What a page says of one version: its number, when it came and why."""

    number: int
    created_at: dt.datetime
    reason: str


def current_version(uow: UnitOfWork, publication_id: int) -> FileVersion | None:
    """Return the publication's current file version (its highest number), if it has any."""
    return uow.session.scalar(
        select(FileVersion)
        .where(FileVersion.publication_id == publication_id)
        .order_by(FileVersion.number.desc())
        .limit(1)
    )


def record_version(uow: UnitOfWork, publication_id: int, new: NewFile, *, now: dt.datetime) -> FileVersion:
    """Record the publication's next version from a finished ingest, now current; the caller commits."""
    last = uow.session.scalar(
        select(func.max(FileVersion.number)).where(FileVersion.publication_id == publication_id)
    )
    row = FileVersion(
        publication_id=publication_id,
        number=(last or 0) + 1,
        master_sha256=new.master_sha256,
        copy_sha256=new.copy_sha256,
        thumbnail_sha256=new.thumbnail_sha256,
        page_count=new.page_count,
        original_name=new.original_name[:255],
        reason=new.reason,
        created_by_id=new.by_user_id,
        created_at=now,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def version_of_copy(uow: UnitOfWork, publication_id: int, sha256: str) -> int | None:
    """Return the number of the publication's version a file (a copy's source) was made from."""
    return uow.session.scalar(
        select(FileVersion.number)
        .where(
            FileVersion.publication_id == publication_id,
            (FileVersion.copy_sha256 == sha256) | (FileVersion.master_sha256 == sha256),
        )
        .order_by(FileVersion.number.desc())
        .limit(1)
    )


def version_at(uow: UnitOfWork, publication_id: int, when: dt.datetime) -> int | None:
    """Return the number of the version that was current at a time (an older session's)."""
    number = uow.session.scalar(
        select(func.max(FileVersion.number)).where(
            FileVersion.publication_id == publication_id, FileVersion.created_at <= when
        )
    )
    if number is None:  # a session older than the migration's version 1 of its files
        number = uow.session.scalar(
            select(func.min(FileVersion.number)).where(FileVersion.publication_id == publication_id)
        )
    return number


def newer_version(uow: UnitOfWork, publication_id: int, number: int | None) -> VersionNote | None:
    """Return the current version when it is newer than `number`, else None."""
    if number is None:
        return None
    current = current_version(uow, publication_id)
    if current is None or current.number <= number:
        return None
    return VersionNote(current.number, current.created_at, current.reason)

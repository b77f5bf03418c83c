"""A publication's version history as its page shows it (staff see who brought each version)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from library.errors import NotFound
from library.i18n import N_
from library.models import FileVersion, IngestJob, IngestStatus, Publication, User
from library.permissions import Actor, may_edit_publications, require_edit_publications
from library.uow import UnitOfWork


@dataclass(frozen=True)
class VersionLine:
    """One version in the history: number, date, reason; who, for staff only."""

    number: int
    created_at: dt.datetime
    reason: str
    page_count: int | None
    current: bool
    public: bool  # an old version the librarian left available to the public
    by_name: str = ""  # "" unless the reader is staff


@dataclass(frozen=True)
class VersionHistory:
    """The versions of one publication, newest first, and what the reader may do with them."""

    publication_id: int
    lines: tuple[VersionLine, ...]
    staff: bool

    @property
    def replaced(self) -> bool:
        """Tell whether the file was ever replaced (a history of one version says nothing)."""
        return len(self.lines) > 1


def version_history(uow: UnitOfWork, actor: Actor | None, publication_id: int) -> VersionHistory:
    """Return the publication's versions, newest first; who brought each only for librarians."""
    staff = may_edit_publications(actor)
    rows = uow.session.execute(
        select(FileVersion, User.name)
        .outerjoin(User, User.id == FileVersion.created_by_id)
        .where(FileVersion.publication_id == publication_id)
        .order_by(FileVersion.number.desc())
    ).all()
    newest = rows[0][0].number if rows else 0
    lines = tuple(
        VersionLine(
            number=version.number,
            created_at=version.created_at,
            reason=version.reason,
            page_count=version.page_count,
            current=version.number == newest,
            public=version.public,
            by_name=(name or "") if staff else "",
        )
        for version, name in rows
    )
    return VersionHistory(publication_id, lines, staff)


@dataclass(frozen=True)
class ReplacementPage:
    """The desk's page to replace a publication's file: what it is now, and a new file under way."""

    publication_id: int
    title: str
    history: VersionHistory
    pending_job_id: int | None  # a file for it queued or being taken in now


def replacement_page(uow: UnitOfWork, actor: Actor | None, publication_id: int) -> ReplacementPage:
    """Return what a librarian sees before replacing a publication's file."""
    require_edit_publications(uow, actor)
    title = uow.session.scalar(select(Publication.title).where(Publication.id == publication_id))
    if title is None:
        raise NotFound(N_("There is no publication number %(id)s."), id=publication_id)
    pending = uow.session.scalar(
        select(IngestJob.id)
        .where(
            IngestJob.publication_id == publication_id,
            IngestJob.status.in_((IngestStatus.QUEUED.value, IngestStatus.PROCESSING.value)),
        )
        .order_by(IngestJob.id.desc())
        .limit(1)
    )
    return ReplacementPage(publication_id, title, version_history(uow, actor, publication_id), pending)

"""What a librarian does with an old version: leave it available to the public, or take it back."""

from __future__ import annotations

from sqlalchemy import select

from library.errors import InvalidInput, NotFound
from library.file_versions.history import current_version
from library.i18n import N_
from library.models import FileVersion
from library.permissions import Actor, require_edit_publications
from library.uow import UnitOfWork


def check_version_public(
    uow: UnitOfWork, actor: Actor | None, publication_id: int, number: int, public: bool
) -> None:
    """Make an old version available to the public (or no longer); the caller commits."""
    require_edit_publications(uow, actor)
    version = uow.session.scalar(
        select(FileVersion).where(FileVersion.publication_id == publication_id, FileVersion.number == number)
    )
    if version is None:
        raise NotFound(N_("This publication has no version %(number)s."), number=number)
    current = current_version(uow, publication_id)
    if current is not None and current.number == number:
        raise InvalidInput(N_("The current version is always the one the public reads."))
    version.public = public


def public_version(uow: UnitOfWork, publication_id: int, number: int) -> FileVersion | None:
    """Return an old version the public may read, else None (the current one is read as always)."""
    return uow.session.scalar(
        select(FileVersion).where(
            FileVersion.publication_id == publication_id,
            FileVersion.number == number,
            FileVersion.public.is_(True),
        )
    )

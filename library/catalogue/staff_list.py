"""The librarian's list of publications: every one, withdrawn ones too, found by title or number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from library.models import AccessLevel, Publication
from library.paging import Page, clamp_page, fetch_page
from library.permissions import Actor, require_edit_publications
from library.uow import UnitOfWork

MAX_PER_PAGE = 100
MAX_QUERY = 200


@dataclass(frozen=True)
class DeskPublication:
    """A publication as one line of the librarian's list."""

    id: int
    title: str
    office_code: str
    year: int | None
    katalog_bps: str
    access_level: AccessLevel
    embargo_until: dt.date | None
    withdrawn_at: dt.datetime | None
    updated_at: dt.datetime
    draft: bool = False  # taken in, waiting for a librarian to publish it


def list_for_desk(
    uow: UnitOfWork,
    actor: Actor | None,
    *,
    query: str = "",
    withdrawn_only: bool = False,
    drafts_only: bool = False,
    page: int = 1,
    per_page: int = 20,
) -> Page[DeskPublication]:
    """Return a page of publications, the latest changed first; librarians only.

    `query` matches words of the title, the Katalog BPS number or the publication number.
    """
    require_edit_publications(uow, actor)
    page, per_page = clamp_page(page, per_page, MAX_PER_PAGE)
    statement = select(Publication)
    for word in query[:MAX_QUERY].split():
        statement = statement.where(
            or_(
                func.lower(Publication.title).contains(word.lower(), autoescape=True),
                Publication.katalog_bps.contains(word, autoescape=True),
                Publication.nomor_publikasi.contains(word, autoescape=True),
            )
        )
    if withdrawn_only:
        statement = statement.where(Publication.withdrawn_at.is_not(None))
    if drafts_only:
        statement = statement.where(Publication.published_at.is_(None))
    statement = statement.order_by(Publication.updated_at.desc(), Publication.id.desc())
    rows: Page[Publication] = fetch_page(uow, statement, page, per_page)
    return rows.map(_line)


def _line(publication: Publication) -> DeskPublication:
    """Build one line of the list."""
    return DeskPublication(
        id=publication.id,
        title=publication.title,
        office_code=publication.issuing_office.code,
        year=publication.year,
        katalog_bps=publication.katalog_bps,
        access_level=AccessLevel(publication.access_level),
        embargo_until=publication.embargo_until,
        withdrawn_at=publication.withdrawn_at,
        updated_at=publication.updated_at,
        draft=publication.draft,
    )


def drafts_counted() -> Select[int]:
    """Return the statement counting the drafts (the menu counts it beside others, in one statement)."""
    return select(func.count(Publication.id)).where(Publication.published_at.is_(None))

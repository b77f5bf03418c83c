"""The catalogue: publications as readers browse and open them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from library.accounts.person_reads import as_read
from library.catalogue.holdings import HoldingView, holding_views
from library.errors import InvalidInput, NotFound
from library.i18n import N_
from library.models import AccessLevel, FileAsset, FileRole, Office, Publication
from library.models.publication import access_in_force
from library.paging import MAX_PAGE, Page, fetch_page
from library.permissions import Actor, may_edit_publications
from library.uow import UnitOfWork

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class PublicationSummary:
    """A publication as one line of a list."""

    id: int
    title: str
    alternative_title: str
    office_code: str
    office_name: str
    publication_type: str
    subject: str
    year: int | None
    katalog_bps: str
    access_level: AccessLevel
    embargo_until: dt.date | None
    thumbnail_sha256: str | None
    language: str = "id"  # its codes, main first ("id", "en", "id,en"): the title's language


@dataclass(frozen=True)
class PublicationDetail:
    """Everything a reader sees on a publication's page."""

    summary: PublicationSummary
    abstract: str
    language: str
    reference_period: str
    scheduled_release: dt.date | None
    actual_release: dt.date | None
    nomor_publikasi: str
    issn: str
    isbn: str
    page_count: int | None
    origin: str | None
    holdings: tuple[HoldingView, ...]
    withdrawn_at: dt.datetime | None = None  # only librarians are shown a withdrawn publication
    draft: bool = False  # only librarians are shown a draft, with what publishes it
    withdrawal_reason: str = ""

    @property
    def printed_copies(self) -> int:
        """Return how many printed copies the library holds, in every place together."""
        return sum(h.copies for h in self.holdings)


def list_publications(
    uow: UnitOfWork,
    *,
    today: dt.date,
    office_code: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page[PublicationSummary]:
    """Return a page of publications, newest release first (withdrawn ones are not listed)."""
    if page < 1:
        raise InvalidInput(N_("The page number must be 1 or more."))
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(N_("A page shows between 1 and %(max)s items."), max=MAX_PER_PAGE)
    query = select(Publication).join(Publication.issuing_office).where(Publication.public())
    if office_code:
        query = query.where(Office.code == office_code)
    query = query.order_by(
        func.coalesce(Publication.actual_release, Publication.scheduled_release).desc(),
        Publication.title,
        Publication.id,
    )
    rows: Page[Publication] = fetch_page(uow, query, min(page, MAX_PAGE), per_page)
    thumbs = _thumbnails(uow, [p.id for p in rows.items])
    return rows.map(lambda p: _summary(p, today, thumbs.get(p.id)))


def summaries_of(uow: UnitOfWork, ids: Iterable[int], *, today: dt.date) -> dict[int, PublicationSummary]:
    """Return the list view of each of these publications that exists, by id."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {
        row.id: PublicationSummary(
            id=row.id,
            title=row.title,
            alternative_title=row.alternative_title,
            office_code=row.code,
            office_name=row.name,
            publication_type=row.publication_type,
            subject=row.subject,
            year=row.released.year if row.released else None,
            katalog_bps=row.katalog_bps,
            access_level=access_in_force(row.access_level, row.embargo_until, today),
            embargo_until=row.embargo_until,
            thumbnail_sha256=row.thumbnail,
            language=row.language,
        )
        # Straight on the connection: plain columns need none of the ORM's result handling
        # (half this read's time on a search page).
        for row in uow.session.connection().execute(_SUMMARY_ROWS, {"ids": wanted})
    }


# Built once, as plain columns: a search page asks for the summaries of every page of hits.
_SUMMARY_ROWS = (
    select(
        Publication.id,
        Publication.title,
        Publication.alternative_title,
        Office.code,
        Office.name,
        Publication.publication_type,
        Publication.subject,
        func.coalesce(Publication.actual_release, Publication.scheduled_release).label("released"),
        Publication.katalog_bps,
        Publication.access_level,
        Publication.embargo_until,
        Publication.language,
        select(FileAsset.sha256)
        .where(FileAsset.publication_id == Publication.id, FileAsset.role == FileRole.THUMBNAIL.value)
        .order_by(FileAsset.created_at.desc(), FileAsset.id.desc())
        .limit(1)
        .scalar_subquery()
        .label("thumbnail"),
    )
    .join(Publication.issuing_office)
    .where(Publication.id.in_(bindparam("ids", expanding=True)))
)


def get_publication(
    uow: UnitOfWork, publication_id: int, *, today: dt.date, viewer: Actor | None = None
) -> PublicationDetail:
    """Return one publication with its holdings and file facts (a withdrawn one to librarians only)."""
    publication = uow.session.scalar(
        select(Publication)
        .where(Publication.id == publication_id)
        .options(selectinload(Publication.holdings))
    )
    if publication is None or not _visible(uow, publication, viewer):
        raise NotFound(N_("There is no publication number %(id)s."), id=publication_id)
    master = uow.session.scalar(
        select(FileAsset)
        .where(FileAsset.publication_id == publication_id, FileAsset.role == FileRole.MASTER.value)
        .order_by(FileAsset.created_at.desc(), FileAsset.id.desc())
        .limit(1)
    )
    thumbs = _thumbnails(uow, [publication_id])
    return PublicationDetail(
        summary=_summary(publication, today, thumbs.get(publication_id)),
        abstract=publication.abstract,
        language=publication.language,
        reference_period=publication.reference_period,
        scheduled_release=publication.scheduled_release,
        actual_release=publication.actual_release,
        nomor_publikasi=publication.nomor_publikasi,
        issn=publication.issn,
        isbn=publication.isbn,
        page_count=master.page_count if master else None,
        origin=master.origin if master else None,
        holdings=holding_views(publication.holdings),
        withdrawn_at=publication.withdrawn_at,
        withdrawal_reason=publication.withdrawal_reason,
        draft=publication.draft,
    )


def thumbnail_of(uow: UnitOfWork, publication_id: int, viewer: Actor | None = None) -> str:
    """Return the sha256 of a publication's cover thumbnail (a withdrawn one's to librarians only)."""
    publication = uow.session.get(Publication, publication_id)
    if publication is None or not _visible(uow, publication, viewer):
        raise NotFound(N_("There is no publication number %(id)s."), id=publication_id)
    sha = _thumbnails(uow, [publication_id]).get(publication_id)
    if sha is None:
        raise NotFound(N_("This publication has no cover image yet."))
    return sha


def seen_publication(
    uow: UnitOfWork, publication_id: int, viewer: Actor | None, *, at_terminal: bool = False
) -> Publication:
    """Return the publication if the viewer may know it exists, else raise NotFound as for no such id.

    A draft or a withdrawn publication is known to librarians (and admins) only, and never at a
    library terminal: to everyone else it answers exactly as an id nobody has.
    """
    publication = uow.session.get(Publication, publication_id)
    hidden_from_them = (
        publication is not None
        and publication.hidden
        and (at_terminal or not _visible(uow, publication, viewer))
    )
    if publication is None or hidden_from_them:
        raise NotFound(N_("There is no publication number %(id)s."), id=publication_id)
    return publication


def _visible(uow: UnitOfWork, publication: Publication, viewer: Actor | None) -> bool:
    """Tell whether the viewer may see the publication: anyone, unless it is a draft or withdrawn."""
    return not publication.hidden or may_edit_publications(as_read(uow, viewer))


def _thumbnails(uow: UnitOfWork, ids: list[int]) -> dict[int, str]:
    """Map publication ids to the sha256 of their newest thumbnail."""
    if not ids:
        return {}
    rows = uow.session.execute(
        select(FileAsset.publication_id, FileAsset.sha256)
        .where(FileAsset.publication_id.in_(ids), FileAsset.role == FileRole.THUMBNAIL.value)
        .order_by(FileAsset.created_at, FileAsset.id)
    )
    return {pid: sha for pid, sha in rows}


def _summary(p: Publication, today: dt.date, thumbnail: str | None) -> PublicationSummary:
    """Build the list view of a publication."""
    return PublicationSummary(
        id=p.id,
        title=p.title,
        alternative_title=p.alternative_title,
        office_code=p.issuing_office.code,
        office_name=p.issuing_office.name,
        publication_type=p.publication_type,
        subject=p.subject,
        year=p.year,
        katalog_bps=p.katalog_bps,
        access_level=p.effective_access(today),
        embargo_until=p.embargo_until,
        thumbnail_sha256=thumbnail,
        language=p.language,
    )

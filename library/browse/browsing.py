"""Collections as readers browse them: the list, and a collection's publications newest edition first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from library.browse.feeds import newest_first
from library.browse.membership import in_collection
from library.catalogue.read_models import PublicationSummary, summaries_of
from library.errors import InvalidInput, NotFound
from library.i18n import N_
from library.models import Collection, CollectionKind, Publication
from library.paging import MAX_PAGE, Page, fetch_page
from library.uow import UnitOfWork

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class CollectionView:
    """A collection as readers see it, with how many public publications it holds."""

    slug: str
    kind: CollectionKind
    name_id: str
    name_en: str
    description: str
    office_code: str
    publications: int


def public_collections(uow: UnitOfWork) -> list[CollectionView]:
    """Return every collection holding a public publication: series, then offices, then others, by name."""
    order = {kind.value: n for n, kind in enumerate(CollectionKind)}
    rows = sorted(uow.session.scalars(select(Collection)), key=lambda c: (order[c.kind], c.name_id.lower()))
    views = [_view(uow, c) for c in rows]
    return [v for v in views if v.publications]


def collection_page(
    uow: UnitOfWork, slug: str, *, today: dt.date, page: int = 1, per_page: int = 20
) -> tuple[CollectionView, Page[PublicationSummary]]:
    """Return a collection and one page of its public publications, newest edition first."""
    if page < 1:
        raise InvalidInput(N_("The page number must be 1 or more."))
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(N_("A page shows between 1 and %(max)s items."), max=MAX_PER_PAGE)
    collection = uow.session.scalar(select(Collection).where(Collection.slug == slug))
    if collection is None:
        raise NotFound(N_("There is no collection %(slug)s."), slug=slug)
    query = newest_first(select(Publication.id).where(Publication.public(), in_collection(collection)))
    ids: Page[int] = fetch_page(uow, query, min(page, MAX_PAGE), per_page)
    summaries = summaries_of(uow, ids.items, today=today)
    listed = Page(
        tuple(summaries[i] for i in ids.items if i in summaries), ids.number, ids.per_page, ids.total
    )
    return _view(uow, collection), listed


def _view(uow: UnitOfWork, collection: Collection) -> CollectionView:
    """Return a collection's view, counting its public publications."""
    count = uow.session.scalar(
        select(func.count(Publication.id)).where(Publication.public(), in_collection(collection))
    )
    return CollectionView(
        slug=collection.slug,
        kind=CollectionKind(collection.kind),
        name_id=collection.name_id,
        name_en=collection.name_en,
        description=collection.description,
        office_code=collection.office.code if collection.office else "",
        publications=count or 0,
    )

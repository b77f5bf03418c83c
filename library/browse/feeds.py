"""What is new: the newest released publications of the library or of one collection, as a feed.

One query serves the home page's newest publications and the library's Atom feed, and, within a
collection, its feed: public (published, not withdrawn), released (an embargoed title joins when
its embargo ends, as the home page has always shown it), newest edition first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVarTuple, Unpack

from sqlalchemy import ColumnElement, Select, func, or_, select

from library.browse.membership import in_collection
from library.catalogue.read_models import PublicationSummary, summaries_of
from library.errors import NotFound
from library.i18n import N_
from library.models import AccessLevel, Collection, Publication
from library.uow import UnitOfWork

Row = TypeVarTuple("Row")
FEED_ENTRIES = 30  # enough for a reader checked weekly; a harvester wanting all uses OAI-PMH
SUMMARY_CHARACTERS = 600


@dataclass(frozen=True)
class Entry:
    """A publication as a feed's entry."""

    id: int
    identifier: str  # the persistent identifier ("<prefix>/<number>"; "" before it was minted)
    title: str
    summary: str
    office_name: str
    subject: str
    released: dt.date | None
    published: dt.datetime
    updated: dt.datetime


@dataclass(frozen=True)
class Feed:
    """A feed: whose it is (None: the whole library), when it last changed, its entries newest first."""

    collection: Collection | None
    updated: dt.datetime
    entries: tuple[Entry, ...]


def released(today: dt.date) -> ColumnElement[bool]:
    """Match the publications the public sees that are out: not under an embargo still running."""
    return Publication.public() & or_(
        Publication.access_level != AccessLevel.EMBARGOED.value, Publication.embargo_until <= today
    )


def newest_first(query: Select[Unpack[Row]]) -> Select[Unpack[Row]]:
    """Order publications newest edition first (release date, then when made public)."""
    return query.order_by(
        func.coalesce(Publication.actual_release, Publication.scheduled_release).desc(),
        Publication.published_at.desc(),
        Publication.id.desc(),
    )


def newest_publications(uow: UnitOfWork, *, today: dt.date, limit: int = 6) -> tuple[PublicationSummary, ...]:
    """Return the library feed's first entries as the catalogue lists them (the home page's newest)."""
    ids = uow.session.scalars(newest_first(select(Publication.id).where(released(today))).limit(limit)).all()
    summaries = summaries_of(uow, ids, today=today)
    return tuple(summaries[i] for i in ids if i in summaries)


def library_feed(uow: UnitOfWork, *, today: dt.date, now: dt.datetime) -> Feed:
    """Return the whole library's feed."""
    return _feed(uow, None, today, now)


def collection_feed(uow: UnitOfWork, slug: str, *, today: dt.date, now: dt.datetime) -> Feed:
    """Return one collection's feed; NotFound for a slug no collection has."""
    collection = uow.session.scalar(select(Collection).where(Collection.slug == slug))
    if collection is None:
        raise NotFound(N_("There is no collection %(slug)s."), slug=slug)
    return _feed(uow, collection, today, now)


def _feed(uow: UnitOfWork, collection: Collection | None, today: dt.date, now: dt.datetime) -> Feed:
    """Read a feed's newest entries; it changed when its newest-changed entry (or the collection) did."""
    query = select(Publication).where(released(today))
    if collection is not None:
        query = query.where(in_collection(collection))
    rows = uow.session.scalars(newest_first(query).limit(FEED_ENTRIES)).all()
    entries = tuple(_entry(p) for p in rows)
    stamps = [e.updated for e in entries] + ([collection.updated_at] if collection else [])
    return Feed(collection, max(stamps, default=now), entries)


def _entry(publication: Publication) -> Entry:
    """Make a publication a feed entry."""
    abstract = " ".join(publication.abstract.split())
    if len(abstract) > SUMMARY_CHARACTERS:
        abstract = abstract[: SUMMARY_CHARACTERS - 1].rsplit(" ", 1)[0] + "…"
    return Entry(
        id=publication.id,
        identifier=publication.identifier or "",
        title=publication.title,
        summary=abstract,
        office_name=publication.issuing_office.name,
        subject=publication.subject,
        released=publication.actual_release or publication.scheduled_release,
        published=publication.published_at or publication.created_at,
        updated=publication.updated_at,
    )

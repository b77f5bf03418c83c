"""Series suggested from the catalogue's titles, so a librarian adds a series' editions in one step.

Titles that share a series name (`series_titles`) are suggested as a series: a new one to make
with all its editions, or an existing series (by its address) that lacks some of them. A
collection's page at the desk suggests the publications whose titles name its series.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from library.browse.managing import CollectionDetails, add_members, check_create_collection
from library.browse.series_titles import series_key, series_name, series_slug
from library.errors import InvalidField
from library.i18n import N_
from library.models import Collection, CollectionKind, CollectionMember, Publication
from library.permissions import Actor, require_edit_publications
from library.uow import UnitOfWork

DEMO_BY = "pustaka demo load"  # who the history names for the demo's series


@dataclass(frozen=True)
class Edition:
    """A publication offered for a series: its id, title and release year."""

    id: int
    title: str
    year: int | None


@dataclass(frozen=True)
class SeriesSuggestion:
    """A series read from titles: its name and address, its editions not in it yet, and whether it exists."""

    name: str
    slug: str
    editions: tuple[Edition, ...]
    collection_id: int | None


def suggested_series(uow: UnitOfWork, actor: Actor | None) -> list[SeriesSuggestion]:
    """Return the series the titles suggest that lack editions, the largest first; librarians only."""
    require_edit_publications(uow, actor)
    return _suggestions(uow)


def suggested_editions(uow: UnitOfWork, actor: Actor | None, collection: Collection) -> tuple[Edition, ...]:
    """Return the publications whose titles name the collection's series and are not in it yet."""
    require_edit_publications(uow, actor)
    if collection.office_id is not None:
        return ()
    members = set(
        uow.session.scalars(
            select(CollectionMember.publication_id).where(CollectionMember.collection_id == collection.id)
        )
    )
    editions = _editions(uow)
    keys = {series_key(collection.name_id)} | {
        k for k, found in editions.items() for e in found if e.id in members
    }
    return tuple(e for k in sorted(keys) for e in editions.get(k, ()) if e.id not in members)


def check_make_series(
    uow: UnitOfWork, actor: Actor | None, name: str, now: dt.datetime
) -> tuple[Collection, int]:
    """Make (or complete) the suggested series named so with its editions; return it and how many joined."""
    librarian = require_edit_publications(uow, actor)
    found = next((s for s in _suggestions(uow) if s.name == name), None)
    if found is None:
        raise InvalidField(
            "series", N_("This series is no longer suggested: its editions are in it already.")
        )
    collection = uow.session.get(Collection, found.collection_id) if found.collection_id else None
    if collection is None:
        details = CollectionDetails(kind=CollectionKind.SERIES.value, slug=found.slug, name_id=found.name)
        collection = check_create_collection(uow, actor, details, now)
    added = add_members(uow, collection, [e.id for e in found.editions], (librarian.id, librarian.name), now)
    return collection, added


def do_make_demo_series(uow: UnitOfWork, now: dt.datetime) -> int:
    """Make every series the demo catalogue's titles suggest (none twice); return how many were made."""
    made = 0
    for found in _suggestions(uow):
        collection = uow.session.get(Collection, found.collection_id) if found.collection_id else None
        if collection is None:
            collection = Collection(kind=CollectionKind.SERIES.value, slug=found.slug, name_id=found.name)
            uow.session.add(collection)
            uow.session.flush()
            made += 1
        add_members(uow, collection, [e.id for e in found.editions], (None, DEMO_BY), now)
    return made


def _suggestions(uow: UnitOfWork) -> list[SeriesSuggestion]:
    """Read the series from the titles: two editions or more, the ones not in the series yet."""
    series = {
        c.slug: c
        for c in uow.session.scalars(select(Collection).where(Collection.kind == CollectionKind.SERIES.value))
    }
    members: dict[int, set[int]] = defaultdict(set)
    for collection_id, publication_id in uow.session.execute(
        select(CollectionMember.collection_id, CollectionMember.publication_id)
    ):
        members[collection_id].add(publication_id)
    found = []
    for editions in _editions(uow).values():
        if len(editions) < 2:
            continue
        name = series_name(editions[0].title)
        slug = series_slug(name)
        existing = series.get(slug)
        missing = tuple(e for e in editions if existing is None or e.id not in members[existing.id])
        if slug and missing:
            found.append(SeriesSuggestion(name, slug, missing, existing.id if existing else None))
    return sorted(found, key=lambda s: (-len(s.editions), s.name))


def _editions(uow: UnitOfWork) -> dict[str, list[Edition]]:
    """Return the publications not withdrawn by their titles' series key, newest first."""
    rows = uow.session.execute(
        select(Publication.id, Publication.title, Publication.actual_release, Publication.scheduled_release)
        .where(Publication.withdrawn_at.is_(None))
        .order_by(Publication.id.desc())
    )
    by_key: dict[str, list[Edition]] = defaultdict(list)
    for publication_id, title, actual, scheduled in rows:
        date = actual or scheduled
        by_key[series_key(title)].append(Edition(publication_id, title, date.year if date else None))
    for editions in by_key.values():
        editions.sort(key=lambda e: (-(e.year or 0), -e.id))
    return {k: v for k, v in by_key.items() if k}

"""The librarian's collection screens: the overview (collections, suggestions, offices), one collection."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from library.browse.feeds import newest_first
from library.browse.managing import CollectionRow, collection_row, desk_collections, get_collection
from library.browse.membership import CollectionRef, collections_of, in_collection
from library.browse.series import Edition, SeriesSuggestion, suggested_editions, suggested_series
from library.models import CollectionKind, Office, Publication
from library.permissions import Actor
from library.uow import UnitOfWork

SHOWN_MEMBERS = 500  # an office collection may hold thousands: its public page pages them


@dataclass(frozen=True)
class DeskOverview:
    """What the collections screen shows: every collection, the series titles suggest, the offices."""

    collections: list[CollectionRow]
    suggestions: list[SeriesSuggestion]
    offices: list[tuple[str, str]]


@dataclass(frozen=True)
class DeskCollection:
    """One collection to manage: its row, its publications (newest first), the editions its titles suggest."""

    row: CollectionRow
    members: tuple[Edition, ...]
    suggested: tuple[Edition, ...]


def desk_overview(uow: UnitOfWork, actor: Actor | None) -> DeskOverview:
    """Return the collections screen; librarians only."""
    collections = desk_collections(uow, actor)
    offices = [
        (code, name)
        for code, name in uow.session.execute(select(Office.code, Office.name).order_by(Office.code))
    ]
    return DeskOverview(collections, suggested_series(uow, actor), offices)


def desk_collection(uow: UnitOfWork, actor: Actor | None, collection_id: int) -> DeskCollection:
    """Return one collection with its publications, drafts and withdrawn ones too; librarians only."""
    collection = get_collection(uow, actor, collection_id)
    released = func.coalesce(Publication.actual_release, Publication.scheduled_release)
    rows = uow.session.execute(
        newest_first(
            select(Publication.id, Publication.title, released).where(in_collection(collection))
        ).limit(SHOWN_MEMBERS)
    )
    members = tuple(Edition(p, title, date.year if date else None) for p, title, date in rows)
    return DeskCollection(
        collection_row(uow, collection), members, suggested_editions(uow, actor, collection)
    )


@dataclass(frozen=True)
class PublicationCollections:
    """A publication's collections on its edit page, and the ones a librarian may add it to."""

    holding: tuple[CollectionRef, ...]
    offered: tuple[tuple[int, str], ...]  # (id, name) of each series or other collection it is not in


def publication_collections(
    uow: UnitOfWork, actor: Actor | None, publication_id: int
) -> PublicationCollections:
    """Return what a publication's edit page shows of its collections; librarians only."""
    holding = collections_of(uow, publication_id)
    slugs = {c.slug for c in holding}
    offered = tuple(
        (row.id, row.name_id)
        for row in desk_collections(uow, actor)
        if row.kind is not CollectionKind.OFFICE and row.slug not in slugs
    )
    return PublicationCollections(holding, offered)

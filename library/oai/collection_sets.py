"""The librarians' collections as harvesters see them: `collection:<slug>`, under the `collection` parent.

A series or another collection holds what a librarian put in it; an office collection what its
office issued (the same publications as its `office:<code>` set, under the collection's name).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select

from library.browse.membership import in_collection
from library.models import Collection, Publication
from library.uow import UnitOfWork

PARENT = ("collection", "Koleksi dan seri")


def collection_sets(uow: UnitOfWork) -> list[tuple[str, str]]:
    """Return (spec, name) of each collection holding a published publication, by its address."""
    found = []
    for collection in uow.session.scalars(select(Collection).order_by(Collection.slug)):
        published = select(Publication.id).where(
            Publication.published_at.is_not(None), in_collection(collection)
        )
        if uow.session.scalar(published.limit(1)) is not None:
            found.append((f"collection:{collection.slug}", collection.name_id))
    return found


def in_collection_set(uow: UnitOfWork, slug: str | None = None) -> ColumnElement[bool] | None:
    """Return the condition for one collection's set, or (no slug) the parent's (None: no such collection)."""
    query = select(Collection)
    if slug is not None:
        query = query.where(Collection.slug == slug)
    collections = uow.session.scalars(query).all()
    if slug is not None and not collections:
        return None
    return or_(false(), *(in_collection(c) for c in collections))

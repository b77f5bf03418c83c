"""Which publications a collection holds, and which collections hold a publication.

A series or another collection holds the publications a librarian added (`collection_member`);
an office collection holds every publication its office issued, read from the publication
itself, so a new publication of the office is in it at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from library.models import Collection, CollectionKind, CollectionMember, Publication
from library.uow import UnitOfWork


@dataclass(frozen=True)
class CollectionRef:
    """A collection as a publication's page names it."""

    slug: str
    kind: CollectionKind
    name_id: str
    name_en: str


def in_collection(collection: Collection) -> ColumnElement[bool]:
    """Return the condition a publication of the collection meets."""
    if collection.office_id is not None:
        return Publication.issuing_office_id == collection.office_id
    return Publication.id.in_(
        select(CollectionMember.publication_id).where(CollectionMember.collection_id == collection.id)
    )


def collections_of(uow: UnitOfWork, publication_id: int) -> tuple[CollectionRef, ...]:
    """Return the collections holding a publication: series first, then by name."""
    rows = uow.session.scalars(
        select(Collection)
        .join(Publication, Publication.id == publication_id)
        .where(
            (Collection.office_id == Publication.issuing_office_id)
            | Collection.id.in_(
                select(CollectionMember.collection_id).where(
                    CollectionMember.publication_id == publication_id
                )
            )
        )
    ).all()
    order = {kind.value: n for n, kind in enumerate(CollectionKind)}
    return tuple(
        CollectionRef(c.slug, CollectionKind(c.kind), c.name_id, c.name_en)
        for c in sorted(rows, key=lambda c: (order[c.kind], c.name_id.lower()))
    )


def slugs_of(uow: UnitOfWork, publication_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Return the slugs of the collections holding each of these publications (for OAI set headers)."""
    wanted = sorted(set(publication_ids))
    found: dict[int, set[str]] = defaultdict(set)
    if not wanted:
        return {}
    added = select(CollectionMember.publication_id, Collection.slug).join(
        Collection, Collection.id == CollectionMember.collection_id
    )
    by_office = select(Publication.id, Collection.slug).join(
        Collection, Collection.office_id == Publication.issuing_office_id
    )
    for publication_id, slug in uow.session.execute(added.where(CollectionMember.publication_id.in_(wanted))):
        found[publication_id].add(slug)
    for publication_id, slug in uow.session.execute(by_office.where(Publication.id.in_(wanted))):
        found[publication_id].add(slug)
    return {publication_id: tuple(sorted(slugs)) for publication_id, slugs in found.items()}


def collections_holding(
    uow: UnitOfWork, publication_ids: Iterable[int]
) -> dict[int, tuple[CollectionRef, ...]]:
    """Return the collections holding each of these publications (a report's grouping), by slug."""
    slugs = slugs_of(uow, publication_ids)
    wanted = {slug for found in slugs.values() for slug in found}
    refs = {
        c.slug: CollectionRef(c.slug, CollectionKind(c.kind), c.name_id, c.name_en)
        for c in uow.session.scalars(select(Collection).where(Collection.slug.in_(sorted(wanted))))
    }
    return {pid: tuple(refs[slug] for slug in found if slug in refs) for pid, found in slugs.items()}

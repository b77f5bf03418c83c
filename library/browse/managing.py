"""Collections as librarians manage them: made, renamed, deleted, and publications put in or taken out.

A change of what a publication is in (added, removed, a collection renamed or deleted) is a
change of the publication for harvesters: its OAI-PMH sets change, so its datestamp moves and
an incremental harvest sees the new sets. A publication a librarian adds or removes keeps the
change in its history, like an edit, under the librarian's name.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, select, update

from library.browse.membership import in_collection, slugs_of
from library.errors import InvalidField, InvalidFields, NotFound, PustakaError
from library.i18n import N_
from library.models import (
    Collection,
    CollectionKind,
    CollectionMember,
    Office,
    Publication,
    PublicationChange,
)
from library.permissions import Actor, require_edit_publications
from library.text import clean_text
from library.uow import UnitOfWork

log = logging.getLogger(__name__)

MAX_SLUG = 80
MAX_NAME = 200
MAX_DESCRIPTION = 5000
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
HISTORY_FIELD = "collections"


@dataclass(frozen=True)
class CollectionDetails:
    """What a librarian types for a collection: its kind, address, names, description, office."""

    kind: str
    slug: str
    name_id: str
    name_en: str = ""
    description: str = ""
    office_code: str = ""


@dataclass(frozen=True)
class CollectionRow:
    """A collection as the desk lists it, with how many publications it holds (drafts included)."""

    id: int
    slug: str
    kind: CollectionKind
    name_id: str
    name_en: str
    description: str
    office_code: str
    publications: int


def desk_collections(uow: UnitOfWork, actor: Actor | None) -> list[CollectionRow]:
    """Return every collection, series first then by name; librarians only."""
    require_edit_publications(uow, actor)
    rows = uow.session.scalars(select(Collection).order_by(Collection.kind.desc(), Collection.name_id)).all()
    return [collection_row(uow, c) for c in rows]


def collection_row(uow: UnitOfWork, collection: Collection) -> CollectionRow:
    """Return a collection's row with its count of publications."""
    count = uow.session.scalar(select(func.count(Publication.id)).where(in_collection(collection))) or 0
    return CollectionRow(
        id=collection.id,
        slug=collection.slug,
        kind=CollectionKind(collection.kind),
        name_id=collection.name_id,
        name_en=collection.name_en,
        description=collection.description,
        office_code=collection.office.code if collection.office else "",
        publications=count,
    )


def get_collection(uow: UnitOfWork, actor: Actor | None, collection_id: int) -> Collection:
    """Return a collection to manage; librarians only, NotFound for an id none has."""
    require_edit_publications(uow, actor)
    return _collection(uow, collection_id)


def check_create_collection(
    uow: UnitOfWork, actor: Actor | None, details: CollectionDetails, now: dt.datetime
) -> Collection:
    """Make a collection from what the librarian typed (an office collection: its office's publications)."""
    require_edit_publications(uow, actor)
    collection = Collection(created_at=now, updated_at=now)
    _apply(uow, collection, details)
    uow.session.add(collection)
    uow.session.flush()
    _touch(uow, in_collection(collection), now)
    log.info("Collection %s made by user %s", collection.slug, getattr(actor, "id", None))
    return collection


def check_edit_collection(
    uow: UnitOfWork, actor: Actor | None, collection_id: int, details: CollectionDetails, now: dt.datetime
) -> Collection:
    """Change a collection's address, names or description (its kind stays what it was made as)."""
    require_edit_publications(uow, actor)
    collection = _collection(uow, collection_id)
    old_slug = collection.slug
    _apply(uow, collection, details, kind=CollectionKind(collection.kind))
    collection.updated_at = now
    uow.session.flush()
    if collection.slug != old_slug:  # its OAI-PMH set is named anew: its publications changed sets
        _touch(uow, in_collection(collection), now)
    return collection


def check_delete_collection(
    uow: UnitOfWork, actor: Actor | None, collection_id: int, now: dt.datetime
) -> str:
    """Delete a collection (its publications stay in the catalogue); return its name."""
    require_edit_publications(uow, actor)
    collection = _collection(uow, collection_id)
    _touch(uow, in_collection(collection), now)
    name, slug = collection.name_id, collection.slug
    uow.session.delete(collection)
    uow.session.flush()
    log.info("Collection %s deleted by user %s", slug, getattr(actor, "id", None))
    return name


def check_add_publications(
    uow: UnitOfWork, actor: Actor | None, collection_id: int, publication_ids: Iterable[int], now: dt.datetime
) -> int:
    """Put publications in a series or another collection; return how many were not in it already."""
    librarian = require_edit_publications(uow, actor)
    collection = _managed_by_hand(uow, collection_id)
    wanted = sorted(set(publication_ids))
    found = set(uow.session.scalars(select(Publication.id).where(Publication.id.in_(wanted))))
    if not wanted or found != set(wanted):
        raise InvalidField("publications", N_("Choose publications from the catalogue."))
    already = set(
        uow.session.scalars(
            select(CollectionMember.publication_id).where(
                CollectionMember.collection_id == collection.id, CollectionMember.publication_id.in_(wanted)
            )
        )
    )
    return add_members(
        uow, collection, [p for p in wanted if p not in already], (librarian.id, librarian.name), now
    )


def add_members(
    uow: UnitOfWork,
    collection: Collection,
    publication_ids: list[int],
    by: tuple[int | None, str],
    now: dt.datetime,
) -> int:
    """Put publications not in it yet in a collection, under `by` (id, name); return how many."""
    before = slugs_of(uow, publication_ids)
    uow.session.add_all(
        CollectionMember(collection_id=collection.id, publication_id=p, added_at=now, added_by=by[0])
        for p in publication_ids
    )
    uow.session.flush()
    _record(uow, by, publication_ids, before, now)
    return len(publication_ids)


def check_remove_publications(
    uow: UnitOfWork, actor: Actor | None, collection_id: int, publication_ids: Iterable[int], now: dt.datetime
) -> int:
    """Take publications out of a series or another collection; return how many were in it."""
    librarian = require_edit_publications(uow, actor)
    collection = _managed_by_hand(uow, collection_id)
    wanted = sorted(set(publication_ids))
    if not wanted:
        raise InvalidField("publications", N_("Choose publications from the catalogue."))
    members = list(
        uow.session.scalars(
            select(CollectionMember.publication_id).where(
                CollectionMember.collection_id == collection.id, CollectionMember.publication_id.in_(wanted)
            )
        )
    )
    before = slugs_of(uow, members)
    uow.session.execute(
        delete(CollectionMember).where(
            CollectionMember.collection_id == collection.id, CollectionMember.publication_id.in_(members)
        )
    )
    _record(uow, (librarian.id, librarian.name), members, before, now)
    return len(members)


def _apply(
    uow: UnitOfWork, collection: Collection, details: CollectionDetails, kind: CollectionKind | None = None
) -> None:
    """Check what the librarian typed, all of it at once, and set it on the collection."""
    problems: list[PustakaError] = []
    try:
        kind = kind or CollectionKind(details.kind)
    except ValueError:
        problems.append(
            InvalidField("kind", N_("Choose a series, an office collection or another collection."))
        )
    slug, name = details.slug.strip().lower(), clean_text(details.name_id)
    if not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG:
        problems.append(
            InvalidField(
                "slug", N_("The address is 1 to %(max)s letters a-z, digits and hyphens."), max=MAX_SLUG
            )
        )
    elif uow.session.scalar(
        select(Collection.id).where(Collection.slug == slug, Collection.id != collection.id)
    ):
        problems.append(InvalidField("slug", N_("Another collection has this address already.")))
    if not name or len(name) > MAX_NAME:
        problems.append(InvalidField("name_id", N_("Give a name of 1 to %(max)s characters."), max=MAX_NAME))
    if len(clean_text(details.name_en)) > MAX_NAME:
        problems.append(InvalidField("name_en", N_("Give a name of 1 to %(max)s characters."), max=MAX_NAME))
    if len(clean_text(details.description)) > MAX_DESCRIPTION:
        problems.append(
            InvalidField(
                "description", N_("The description is at most %(max)s characters."), max=MAX_DESCRIPTION
            )
        )
    office = None
    if kind is CollectionKind.OFFICE and collection.office_id is None:
        office = uow.session.scalar(select(Office).where(Office.code == details.office_code.strip()))
        if office is None:
            problems.append(InvalidField("office", N_("Choose one of the offices listed.")))
        elif uow.session.scalar(select(Collection.id).where(Collection.office_id == office.id)):
            problems.append(InvalidField("office", N_("This office has its collection already.")))
    if problems:
        raise InvalidFields(problems)
    assert kind is not None
    collection.kind, collection.slug, collection.name_id = kind.value, slug, name
    collection.name_en, collection.description = clean_text(details.name_en), clean_text(details.description)
    if office is not None:
        collection.office_id = office.id


def _collection(uow: UnitOfWork, collection_id: int) -> Collection:
    """Return the collection with this id, or refuse."""
    collection = uow.session.get(Collection, collection_id)
    if collection is None:
        raise NotFound(N_("There is no collection number %(id)s."), id=collection_id)
    return collection


def _managed_by_hand(uow: UnitOfWork, collection_id: int) -> Collection:
    """Return a collection whose publications a librarian chooses (not an office collection)."""
    collection = _collection(uow, collection_id)
    if collection.office_id is not None:
        raise InvalidField(
            "publications",
            N_("An office collection holds what its office issued: edit the publication's office."),
        )
    return collection


def _record(
    uow: UnitOfWork,
    by: tuple[int | None, str],
    publication_ids: list[int],
    before: dict[int, tuple[str, ...]],
    now: dt.datetime,
) -> None:
    """Move the publications' datestamps and keep what they are in, before and after, in their history."""
    if not publication_ids:
        return
    _touch(uow, Publication.id.in_(publication_ids), now)
    after = slugs_of(uow, publication_ids)
    versions = {
        row.id: row.version
        for row in uow.session.execute(
            select(Publication.id, Publication.version).where(Publication.id.in_(publication_ids))
        )
    }
    uow.session.add_all(
        PublicationChange(
            publication_id=p,
            version=versions[p],
            changed_at=now,
            changed_by_id=by[0],
            changed_by_name=by[1],
            field=HISTORY_FIELD,
            old_value=", ".join(before.get(p, ())),
            new_value=", ".join(after.get(p, ())),
        )
        for p in publication_ids
    )
    uow.session.flush()


def _touch(uow: UnitOfWork, condition: ColumnElement[bool], now: dt.datetime) -> None:
    """Mark the matching publications changed now (a new version, a new OAI-PMH datestamp)."""
    uow.session.flush()
    uow.session.execute(
        update(Publication)
        .where(condition)
        .values(updated_at=now, version=Publication.version + 1)
        .execution_options(synchronize_session=False)
    )
    uow.session.expire_all()

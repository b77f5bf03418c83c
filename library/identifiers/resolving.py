"""The resolver: a persistent identifier to its publication, and a publication to what citing it needs.

A published publication's identifier leads to its page; a withdrawn one's to a tombstone that
says why (HTTP 410, as DSpace answers); a draft's is unknown to the public (404) and leads
librarians to the draft. The publication's id never appears in an identifier, so a move that
numbers rows differently, or a new base URL, changes nothing a citation holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from library.accounts.person_reads import as_read
from library.errors import NotFound
from library.i18n import N_
from library.identifiers.citations import Citation, apa, bps
from library.identifiers.meta_tags import meta_tags
from library.identifiers.records import CitationRecord, citation_record
from library.models import Publication
from library.permissions import Actor, may_edit_publications
from library.uow import UnitOfWork


@dataclass(frozen=True)
class Resolution:
    """Where an identifier leads: a publication, and whether it was withdrawn (and why)."""

    identifier: str
    publication_id: int
    title: str
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str
    may_see_page: bool  # a librarian still opens a withdrawn publication's page


@dataclass(frozen=True)
class CiteSection:
    """What a publication page shows and carries in its head to be cited."""

    record: CitationRecord
    citations: tuple[Citation, ...]
    meta: tuple[tuple[str, str], ...]


def resolve(uow: UnitOfWork, identifier: str, viewer: Actor | None) -> Resolution:
    """Return where an identifier leads; raise NotFound for none, or for a draft the viewer may not see."""
    publication = uow.session.scalar(select(Publication).where(Publication.identifier == identifier))
    librarian = may_edit_publications(as_read(uow, viewer))
    if publication is None or (publication.draft and not librarian):
        raise NotFound(N_("No publication has the identifier %(identifier)s."), identifier=identifier)
    return Resolution(
        identifier=identifier,
        publication_id=publication.id,
        title=publication.title,
        withdrawn_at=publication.withdrawn_at,
        withdrawal_reason=publication.withdrawal_reason,
        may_see_page=librarian or not publication.hidden,
    )


def citation_of(uow: UnitOfWork, publication_id: int, base_url: str, viewer: Actor | None) -> CitationRecord:
    """Return what citing a publication says (a hidden one's to librarians only)."""
    publication = uow.session.get(Publication, publication_id)
    if publication is None or (publication.hidden and not may_edit_publications(as_read(uow, viewer))):
        raise NotFound(N_("There is no publication number %(id)s."), id=publication_id)
    return citation_record(publication, base_url)


def cite_section(uow: UnitOfWork, publication_id: int, base_url: str, viewer: Actor | None) -> CiteSection:
    """Return a publication page's citations (APA, BPS) and its head's meta tags."""
    record = citation_of(uow, publication_id, base_url, viewer)
    return CiteSection(record, (apa(record), bps(record)), meta_tags(record))


def citation_by_identifier(
    uow: UnitOfWork, identifier: str, base_url: str, viewer: Actor | None
) -> CitationRecord:
    """Return what citing the publication an identifier names says (a withdrawn one's is gone)."""
    where = resolve(uow, identifier, viewer)
    if where.withdrawn_at is not None and not where.may_see_page:
        raise NotFound(N_("No publication has the identifier %(identifier)s."), identifier=identifier)
    return citation_of(uow, where.publication_id, base_url, viewer)

"""Feeding the search engine from the database: one publication, all of them, or a check.

A use case that changed a publication calls `library.job_queue.index_with_transaction`. Where the index lives
in the same PostgreSQL database (`index_in_transactions` bound it to the session factory), the
publication's search rows are written there and then, in the change's own transaction: they
commit with it or vanish with its rollback, and no crash leaves the two apart. Elsewhere
(Whoosh, files on one host) the job worker updates the index after the commit, one writer at
a time. The index is derived data either way: `reindex` rebuilds it from the database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Connection, Select, event, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

import catalog_data
from library.job_queue import INDEX_IN_TRANSACTION
from library.models import AccessLevel, PageText, Publication, SubjectTerm
from library.uow import UnitOfWork
from search.engine import PageText as IndexedPage
from search.engine import PublicationDoc, SearchEngine
from search.glossary import Concept, Glossary, Place
from search.word_forms import years_within

BATCH = 50
# The pages of these are indexed as closed: only staff searches match or show them.
TEXT_HIDDEN = {AccessLevel.RESTRICTED, AccessLevel.EMBARGOED}


class TransactionalIndex(Protocol):
    """A search index in the publications' own database, written on the caller's connection."""

    def store(self, conn: Connection, docs: Iterable[PublicationDoc], *, raise_version: bool) -> bool:
        """Write the publications in the connection's transaction; tell whether any was given."""

    def remove(self, conn: Connection, publication_ids: Iterable[str], *, raise_version: bool) -> bool:
        """Delete the publications in the connection's transaction; tell whether any was there."""

    def changed(self, conn: Connection) -> None:
        """Raise the index's version in the connection's transaction (its readers' kept answers expire)."""


@dataclass(frozen=True)
class SameTransaction:
    """Write a changed publication's search rows in the session's transaction (PostgreSQL's index)."""

    index: TransactionalIndex
    today: Callable[[], dt.date]

    def __call__(self, uow: UnitOfWork, publication_id: int) -> None:
        """Bring the publication's rows up to date on the unit of work's connection."""
        uow.session.flush()  # the rows read back below are the ones this transaction holds
        docs, gone = _current(uow, [publication_id], self.today())
        connection = uow.session.connection()
        written = self.index.store(connection, docs, raise_version=False)
        if gone:
            written = self.index.remove(connection, gone, raise_version=False) or written
        if written:  # its version raised as the session commits (`_raise_version`)
            uow.session.info[_INDEX_CHANGED] = self.index


@dataclass(frozen=True)
class IndexDiff:
    """How the index differs from the database."""

    missing: tuple[str, ...]
    extra: tuple[str, ...]
    stale: tuple[str, ...]

    @property
    def clean(self) -> bool:
        """Tell whether index and database agree."""
        return not (self.missing or self.extra or self.stale)


def publication_doc(session: Session, publication: Publication, today: dt.date) -> PublicationDoc:
    """Build what the index holds for one publication."""
    access = publication.effective_access(today)
    rows = session.execute(
        select(PageText.page_number, PageText.text)
        .where(PageText.publication_id == publication.id)
        .order_by(PageText.page_number)
    ).all()
    pages = tuple(IndexedPage(number, text) for number, text in rows)
    fields: dict[str, Any] = {  # PublicationDoc's keyword arguments
        "title": publication.title,
        "alternative_title": publication.alternative_title,
        "abstract": publication.abstract,
        "subject": publication.subject,
        "office_code": publication.issuing_office.code,
        "office_name": publication.issuing_office.name,
        "publication_type": publication.publication_type,
        "language": publication.language,
        "year": publication.year,
        "katalog_bps": publication.katalog_bps,
        "nomor_publikasi": publication.nomor_publikasi,
        "issn": publication.issn,
        "isbn": publication.isbn,
        "access_level": access.value,
        "release_date": publication.actual_release or publication.scheduled_release,
    }
    terms = search_glossary().terms(
        (publication.title, publication.alternative_title),
        (publication.subject, publication.abstract),
        publication.issuing_office.code,
    )
    # At the abstract's weight: the years inside a range the title names ("2020-2035") and the
    # call numbers of its printed copies ("310.598 TUL m 2023").
    within = " ".join(years_within(publication.title, publication.alternative_title))
    shelved = " . ".join(dict.fromkeys(h.call_number for h in publication.holdings if h.call_number))
    fields.update(
        title_terms=terms.title,
        title_terms_en=terms.title_en,
        meta_terms=" . ".join(text for text in (terms.meta, within, shelved) if text),
        # A controlled subject is found by its English name too ("poverty" finds Kemiskinan).
        meta_terms_en=" . ".join(t for t in (terms.meta_en, _subject_en(session, publication)) if t),
    )
    return PublicationDoc(
        publication_id=str(publication.id),
        fingerprint=_fingerprint(fields, pages),
        pages=pages,
        pages_closed=access in TEXT_HIDDEN,
        **fields,
    )


def _subject_en(session: Session, publication: Publication) -> str:
    """Return the English name of the publication's controlled subject ('' for free text)."""
    term = session.get(SubjectTerm, publication.subject_id) if publication.subject_id is not None else None
    return term.name_en if term is not None else ""


def index_in_transactions(
    session_factory: sessionmaker[Session], index: TransactionalIndex, today: Callable[[], dt.date]
) -> None:
    """Have every session of this factory write changed publications' search rows in its own transaction."""
    info = {**session_factory.kw.get("info", {}), INDEX_IN_TRANSACTION: SameTransaction(index, today)}
    session_factory.configure(info=info)  # configure replaces the whole dict: what was there stays


_INDEX_CHANGED = "pustaka.index_changed"  # a session's info: the index it wrote in this transaction


@event.listens_for(Session, "before_commit")
def _raise_version(session: Session) -> None:
    """Raise the index's version last of all, as the transaction that wrote its rows commits.

    The version's row stays locked until the commit: taken after every other row the
    transaction locks, it never makes two catalogue changes wait on each other in a circle.
    """
    index = session.info.get(_INDEX_CHANGED)
    if index is None or session.in_nested_transaction():  # a SAVEPOINT's release: not yet
        return
    session.flush()
    index.changed(session.connection())
    del session.info[_INDEX_CHANGED]


@event.listens_for(Session, "after_transaction_end")
def _forget_change(session: Session, transaction: object) -> None:
    """A transaction rolled back takes its index rows with it: no version to raise."""
    if getattr(transaction, "parent", None) is None:
        session.info.pop(_INDEX_CHANGED, None)


def do_index_publications(
    uow: UnitOfWork, engine: SearchEngine, publication_ids: Iterable[int], today: dt.date
) -> None:
    """Bring the index entries of these publications up to date (deleting vanished and withdrawn ones)."""
    docs, gone = _current(uow, publication_ids, today)
    engine.index(docs)
    if gone:
        engine.delete(gone)


def _current(
    uow: UnitOfWork, publication_ids: Iterable[int], today: dt.date
) -> tuple[list[PublicationDoc], list[str]]:
    """Return what the index holds of these publications, and the ids it holds no more (gone, withdrawn)."""
    ids = sorted(set(publication_ids))
    found = uow.session.scalars(_with_holdings().where(Publication.id.in_(ids), _listed())).all()
    gone = sorted(set(ids) - {p.id for p in found})
    return [publication_doc(uow.session, p, today) for p in found], [str(i) for i in gone]


def _with_holdings() -> Select[Publication]:
    """Return a select of publications with their holdings (whose call numbers are indexed) at once."""
    return select(Publication).options(selectinload(Publication.holdings))


def do_reindex(
    uow: UnitOfWork,
    engine: SearchEngine,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Rebuild the whole index from the database; return how many publications it holds.

    The engine takes every publication in one writing session (`SearchEngine.rebuild`): they
    are read a batch at a time, and searches keep the old index until the new one is whole.
    """
    ids = list(uow.session.scalars(select(Publication.id).where(_listed()).order_by(Publication.id)))
    count = 0

    def docs() -> Iterator[PublicationDoc]:
        nonlocal count
        for done, batch in enumerate(_batches(ids), start=1):
            query = _with_holdings().where(Publication.id.in_(batch), _listed()).order_by(Publication.id)
            for publication in uow.session.scalars(query).all():
                count += 1
                yield publication_doc(uow.session, publication, today)
            uow.session.expunge_all()
            if progress:
                progress(min(done * BATCH, len(ids)), len(ids))
        # Every publication read: the reading transaction ends before the engine commits the new
        # index and tidies it up. PostgreSQL's VACUUM cannot mark rows all-visible while a
        # transaction older than them is open, and every term lookup then reads the table too
        # (a search at 100,000 pages: 11.9 ms against 6.2 ms, 6,025 buffers against 1,141).
        with contextlib.suppress(RuntimeError):  # a unit of work that has written keeps its transaction
            uow.release()

    engine.rebuild(docs())
    return count


def check_index(uow: UnitOfWork, engine: SearchEngine, today: dt.date) -> IndexDiff:
    """Compare the index with the database, publication by publication."""
    indexed = engine.fingerprints()
    expected: dict[str, str] = {}
    ids = list(uow.session.scalars(select(Publication.id).where(_listed()).order_by(Publication.id)))
    for batch in _batches(ids):
        for publication in uow.session.scalars(_with_holdings().where(Publication.id.in_(batch))):
            expected[str(publication.id)] = publication_doc(uow.session, publication, today).fingerprint
        uow.session.expunge_all()
    return IndexDiff(
        missing=tuple(sorted(set(expected) - set(indexed), key=int)),
        extra=tuple(sorted(set(indexed) - set(expected), key=_numeric)),
        stale=tuple(sorted((i for i in expected if i in indexed and indexed[i] != expected[i]), key=int)),
    )


def index_holds(uow: UnitOfWork, engine: SearchEngine) -> tuple[int, int, int]:
    """Return how many publications the database lists, and how many of them, and of others, the index holds.

    By id only (no publication is read whole): quick enough for `pustaka check` at any size.
    """
    listed = {str(i) for i in uow.session.scalars(select(Publication.id).where(_listed()))}
    indexed = set(engine.fingerprints())
    return len(listed), len(listed & indexed), len(indexed - listed)


def made_under_other_rules(engine: SearchEngine) -> int:
    """Return how many indexed publications were analysed under another glossary or rules."""
    current = analysis_signature()
    return sum(not fingerprint.startswith(current) for fingerprint in engine.fingerprints().values())


def refresh_index(uow: UnitOfWork, engine: SearchEngine, today: dt.date) -> int:
    """Index every listed publication when the index holds none of them, or was made under other
    analysis rules; return how many were indexed (0: none needed it).

    After an upgrade that moved search to another engine (Whoosh files to PostgreSQL tables), or a
    database restored without its index, the new index is empty; after one that changed the
    glossary or how text is analysed, every stored fingerprint starts with another signature.
    Either way this rebuilds it, so that no hidden step stands between an upgrade and a site that
    finds its publications as this release does.
    """
    if not uow.session.scalar(select(Publication.id).where(_listed()).limit(1)):
        return 0
    fingerprints = engine.fingerprints()
    listed = {str(i) for i in uow.session.scalars(select(Publication.id).where(_listed()))}
    held = [fingerprints[pid] for pid in listed if pid in fingerprints]
    current = analysis_signature()
    if held and all(fingerprint.startswith(current) for fingerprint in held):
        return 0
    return do_reindex(uow, engine, today)


def _listed() -> ColumnElement[bool]:
    """Match the publications the index holds: every public one (no draft, none withdrawn)."""
    return Publication.public()


def _fingerprint(fields: Mapping[str, object], pages: tuple[IndexedPage, ...]) -> str:
    """Return a digest of everything indexed about a publication, after the glossary's signature.

    The signature (`analysis_signature`) leads: an index made under another glossary or other
    analysis rules is found by its first stored fingerprint (`refresh_index`).
    """
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode())
    for page in pages:
        digest.update(f"\f{page.number}\f".encode())
        digest.update(page.text.encode())
    return analysis_signature() + digest.hexdigest()[:24]


@lru_cache(maxsize=1)
def search_glossary() -> Glossary:
    """Return the search glossary of the packaged data (concepts and places)."""
    concepts, places = catalog_data.load_glossary()
    return Glossary(
        tuple(Concept(c["id"], c["en"], c["abbr"], c["related"], c["related_en"]) for c in concepts),
        tuple(Place(p["code"], p["names"], p["en"], p["nicknames"]) for p in places),
    )


def analysis_signature() -> str:
    """Return what leads every fingerprint: the glossary's and the analysis rules' digest (8 letters)."""
    return search_glossary().signature


def _batches(ids: list[int]) -> Iterator[list[int]]:
    """Yield the ids in batches."""
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _numeric(value: str) -> tuple[int, str]:
    """Sort ids numerically where they are numbers."""
    return (int(value), "") if value.isdigit() else (10**18, value)

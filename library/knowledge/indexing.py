"""The answers' own search index: fed from the database by a job, searched beside the library.

Only the job worker writes it (after the commit that published, changed or withdrew an entry);
web processes only search it. It is derived data: `do_reindex_answers` rebuilds it. A search
shows only the entries the database still holds as published, so an entry withdrawn a moment
ago never shows while its job waits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from library.knowledge.read_models import EntryView, published_by_id
from library.models import KnowledgeEntry, KnowledgeStatus
from library.uow import UnitOfWork
from search.answers import AnswerDoc, AnswerHit

SEARCH_LIMIT = 3  # "Jawaban umum" above the publications: a few, the best


class AnswerIndex(Protocol):
    """What the knowledge base needs from the answers' index."""

    def index(self, docs: Iterable[AnswerDoc]) -> None:
        """Add or replace the answers."""

    def delete(self, answer_ids: Iterable[str]) -> None:
        """Remove the answers."""

    def clear(self) -> None:
        """Remove every answer."""

    def search(self, text: str, limit: int = 5) -> list[AnswerHit]:
        """Return the answers matching the words, best first."""

    def ids(self) -> set[str]:
        """Return the ids of every indexed answer."""


@dataclass(frozen=True)
class AnswersDiff:
    """How the answers' index differs from the published entries: ids missing from it, and extra."""

    missing: tuple[str, ...]
    extra: tuple[str, ...]

    @property
    def clean(self) -> bool:
        """Tell whether the index holds exactly the published entries."""
        return not self.missing and not self.extra


def answer_doc(row: KnowledgeEntry) -> AnswerDoc:
    """Build what the index holds for one entry."""
    return AnswerDoc(str(row.id), row.title, row.topic, row.answer)


def do_index_answers(uow: UnitOfWork, index: AnswerIndex, entry_ids: Iterable[int]) -> None:
    """Bring these entries' places in the index up to date: published ones in, the others out."""
    ids = sorted(set(entry_ids))
    rows = uow.session.scalars(
        select(KnowledgeEntry).where(
            KnowledgeEntry.id.in_(ids), KnowledgeEntry.status == KnowledgeStatus.PUBLISHED.value
        )
    ).all()
    index.index([answer_doc(row) for row in rows])
    gone = set(ids) - {row.id for row in rows}
    if gone:
        index.delete(str(i) for i in sorted(gone))


def do_reindex_answers(uow: UnitOfWork, index: AnswerIndex) -> int:
    """Rebuild the answers' index from the database; return how many entries it holds."""
    rows = uow.session.scalars(
        select(KnowledgeEntry)
        .where(KnowledgeEntry.status == KnowledgeStatus.PUBLISHED.value)
        .order_by(KnowledgeEntry.id)
    ).all()
    index.clear()
    index.index([answer_doc(row) for row in rows])
    return len(rows)


def check_answers(uow: UnitOfWork, index: AnswerIndex) -> AnswersDiff:
    """Compare the answers' index with the published entries, by id."""
    published = {
        str(i)
        for i in uow.session.scalars(
            select(KnowledgeEntry.id).where(KnowledgeEntry.status == KnowledgeStatus.PUBLISHED.value)
        )
    }
    indexed = index.ids()
    return AnswersDiff(
        missing=tuple(sorted(published - indexed, key=int)),
        extra=tuple(
            sorted(indexed - published, key=lambda i: (not i.isdigit(), int(i) if i.isdigit() else 0, i))
        ),
    )


def search_answers(
    uow: UnitOfWork, index: AnswerIndex, text: str, limit: int = SEARCH_LIMIT
) -> list[EntryView]:
    """Return the published entries answering the words, best first (anyone may search them)."""
    if not text.strip():
        return []
    hits = index.search(text, limit=limit)
    return published_by_id(uow, [int(hit.answer_id) for hit in hits if hit.answer_id.isdigit()])

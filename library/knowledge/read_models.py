"""Knowledge-base entries as people see them: the desk's list, one entry, the published ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from library.errors import NotFound
from library.i18n import N_
from library.knowledge.entries import find_entry
from library.models import Consultation, KnowledgeEntry, KnowledgeStatus, User
from library.permissions import Actor, require_consult
from library.uow import UnitOfWork


@dataclass(frozen=True)
class EntrySummary:
    """An entry in a list."""

    id: int
    title: str
    topic: str
    status: KnowledgeStatus
    edited_at: dt.datetime
    editor_name: str


@dataclass(frozen=True)
class EntryView:
    """One entry with its answer; who edited it and the consultation it came from are for staff."""

    summary: EntrySummary
    answer: str
    published_at: dt.datetime | None
    consultation_number: str = ""

    @property
    def published(self) -> bool:
        """Tell whether everyone sees the entry."""
        return self.summary.status is KnowledgeStatus.PUBLISHED


def list_entries(uow: UnitOfWork, actor: Actor | None) -> list[EntrySummary]:
    """Return every entry for staff: drafts first, then the most recently edited."""
    require_consult(uow, actor)
    rows = uow.session.scalars(
        select(KnowledgeEntry).order_by(
            KnowledgeEntry.status != KnowledgeStatus.DRAFT.value,
            KnowledgeEntry.edited_at.desc(),
            KnowledgeEntry.id.desc(),
        )
    ).all()
    names = _editors(uow, rows)
    return [_summary(row, names) for row in rows]


def staff_entry(uow: UnitOfWork, actor: Actor | None, entry_id: int) -> EntryView:
    """Return one entry, draft or published, for staff."""
    require_consult(uow, actor)
    row = find_entry(uow, entry_id)
    number = (
        uow.session.scalar(select(Consultation.number).where(Consultation.id == row.consultation_id))
        if row.consultation_id
        else None
    )
    return EntryView(_summary(row, _editors(uow, [row])), row.answer, row.published_at, number or "")


def public_entry(uow: UnitOfWork, entry_id: int) -> EntryView:
    """Return a published entry; a draft does not exist for the public."""
    row = uow.session.get(KnowledgeEntry, entry_id)
    if row is None or row.status != KnowledgeStatus.PUBLISHED.value:
        raise NotFound(N_("There is no such knowledge-base entry."))
    return EntryView(_summary(row, {}), row.answer, row.published_at)


def latest_published(uow: UnitOfWork, limit: int = 5) -> list[EntrySummary]:
    """Return the most recently published entries."""
    rows = uow.session.scalars(
        select(KnowledgeEntry)
        .where(KnowledgeEntry.status == KnowledgeStatus.PUBLISHED.value)
        .order_by(KnowledgeEntry.published_at.desc(), KnowledgeEntry.id.desc())
        .limit(limit)
    ).all()
    return [_summary(row, {}) for row in rows]


def published_by_id(uow: UnitOfWork, ids: Sequence[int]) -> list[EntryView]:
    """Return the published entries among these ids, in the order given (the search's order)."""
    if not ids:
        return []
    rows = uow.session.scalars(
        select(KnowledgeEntry).where(
            KnowledgeEntry.id.in_(ids), KnowledgeEntry.status == KnowledgeStatus.PUBLISHED.value
        )
    ).all()
    by_id = {row.id: row for row in rows}
    return [
        EntryView(_summary(by_id[i], {}), by_id[i].answer, by_id[i].published_at) for i in ids if i in by_id
    ]


def _editors(uow: UnitOfWork, rows: Sequence[KnowledgeEntry]) -> dict[int, str]:
    """Return the names of the people who last edited the rows, by id."""
    ids = {row.edited_by for row in rows}
    if not ids:
        return {}
    found = uow.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()
    return {user_id: name for user_id, name in found}


def _summary(row: KnowledgeEntry, names: dict[int, str]) -> EntrySummary:
    """Return the list entry of a row (the editor's name only where names are given: staff)."""
    return EntrySummary(
        row.id, row.title, row.topic, KnowledgeStatus(row.status), row.edited_at, names.get(row.edited_by, "")
    )

"""The librarian's subject screen: the controlled list by group, and free-text variants merged into it.

A merge sets every chosen variant's publications to the target subject (its Indonesian name as
the text, its id as `subject_id`), records each change in the publication's history like an
edit (raising its version), refreshes their search entries, and keeps each variant as an alias
so later records typed that way (the form, CSV batches, MARC) map to the subject at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from catalog_data import fold
from library.errors import InvalidField, NotFound
from library.i18n import N_
from library.job_queue import JobQueue, index_with_transaction
from library.models import (
    Publication,
    PublicationChange,
    SubjectAlias,
    SubjectGroup,
    SubjectOrigin,
    SubjectTerm,
)
from library.permissions import Actor, require_edit_publications
from library.subjects.vocabulary import controlled_subject, new_term_code
from library.text import clean_text
from library.uow import UnitOfWork

MAX_NAME = 120


@dataclass(frozen=True)
class TermRow:
    """A controlled subject as the screen lists it."""

    id: int
    name_id: str
    name_en: str
    bps_id: str
    origin: str
    active: bool
    publications: int


@dataclass(frozen=True)
class GroupRow:
    """A group of subjects with its subjects."""

    id: int
    code: str
    name_id: str
    name_en: str
    terms: tuple[TermRow, ...]


@dataclass(frozen=True)
class Variant:
    """A free-text subject in use and how many publications have it."""

    text: str
    publications: int


@dataclass(frozen=True)
class PlannedChange:
    """One publication a merge changes: from which text to which."""

    publication_id: int
    title: str
    old: str
    new: str


def subject_overview(uow: UnitOfWork, actor: Actor | None) -> tuple[list[GroupRow], list[Variant]]:
    """Return the groups with their subjects and the free-text variants in use; librarians only."""
    require_edit_publications(uow, actor)
    counts = dict(
        uow.session.execute(
            select(Publication.subject_id, func.count())
            .where(Publication.subject_id.is_not(None))
            .group_by(Publication.subject_id)
        ).all()
    )
    groups = [
        GroupRow(
            g.id,
            g.code,
            g.name_id,
            g.name_en,
            tuple(
                TermRow(t.id, t.name_id, t.name_en, t.bps_id, t.origin, t.active, int(counts.get(t.id, 0)))
                for t in g.terms
            ),
        )
        for g in uow.session.scalars(select(SubjectGroup).order_by(SubjectGroup.position, SubjectGroup.id))
    ]
    rows = uow.session.execute(
        select(Publication.subject, func.count())
        .where(Publication.subject != "", Publication.subject_id.is_(None))
        .group_by(Publication.subject)
        .order_by(Publication.subject)
    )
    return groups, [Variant(text, int(count)) for text, count in rows]


def preview_merge(
    uow: UnitOfWork, actor: Actor | None, variants: Iterable[str], term_id: int
) -> list[PlannedChange]:
    """Return the publications a merge would change, from what to what; nothing is changed."""
    require_edit_publications(uow, actor)
    term, chosen = _target(uow, term_id), _chosen(variants)
    return [PlannedChange(p.id, p.title, p.subject, term.name_id) for p in _publications(uow, chosen)]


def check_merge(
    uow: UnitOfWork,
    actor: Actor | None,
    queue: JobQueue,
    variants: Iterable[str],
    term_id: int,
    *,
    now: dt.datetime,
) -> int:
    """Merge free-text variants into a controlled subject; return how many publications changed."""
    editor = require_edit_publications(uow, actor)
    term, chosen = _target(uow, term_id), _chosen(variants)
    publications = _publications(uow, chosen)
    olds = [publication.subject for publication in publications]  # the variants in use
    for publication in publications:
        old = publication.subject
        publication.subject, publication.subject_id = term.name_id, term.id
        uow.session.flush()  # raises the version, like an edit
        if old != term.name_id:
            uow.session.add(
                PublicationChange(
                    publication_id=publication.id,
                    version=publication.version,
                    changed_at=now,
                    changed_by_id=editor.id,
                    changed_by_name=editor.name,
                    field="subject",
                    old_value=old,
                    new_value=term.name_id,
                )
            )
    _keep_aliases(uow, term, {fold(text) for text in olds}, editor.id, now)
    uow.session.flush()
    for publication in publications:
        index_with_transaction(uow, queue, publication.id)
    return len(publications)


def check_add_term(
    uow: UnitOfWork, actor: Actor | None, group_id: int | None, name_id: str, name_en: str
) -> SubjectTerm:
    """Add an office's own controlled subject with its English name; librarians only."""
    require_edit_publications(uow, actor)
    name, english = _name("name_id", name_id), _name("name_en", name_en)
    if controlled_subject(uow, name) is not None or uow.session.scalar(
        select(SubjectTerm.id).where(func.lower(SubjectTerm.name_id) == name.lower())
    ):
        raise InvalidField("name_id", N_("There is a subject with this name already."))
    if group_id is not None and uow.session.get(SubjectGroup, group_id) is None:
        raise InvalidField("group", N_("Choose one of the groups listed."))
    term = SubjectTerm(
        group_id=group_id,
        code=new_term_code(uow, name),
        name_id=name,
        name_en=english,
        origin=SubjectOrigin.OFFICE.value,
    )
    uow.session.add(term)
    uow.session.flush()
    return term


def check_set_term_active(uow: UnitOfWork, actor: Actor | None, term_id: int, active: bool) -> SubjectTerm:
    """Deactivate a subject (no longer suggested or matched; its publications keep it), or reactivate it."""
    require_edit_publications(uow, actor)
    term = uow.session.get(SubjectTerm, term_id)
    if term is None:
        raise NotFound(N_("There is no subject number %(id)s."), id=term_id)
    term.active = active
    uow.session.flush()
    return term


def _keep_aliases(uow: UnitOfWork, term: SubjectTerm, used: set[str], by: int, now: dt.datetime) -> None:
    """Keep the folded variants merged into a subject as its aliases (none twice, never its own names)."""
    names = {fold(term.name_id), fold(term.name_en)}
    known = set(uow.session.scalars(select(SubjectAlias.text).where(SubjectAlias.text.in_(used))))
    for text in sorted(used - names - known - {""}):
        uow.session.add(SubjectAlias(term_id=term.id, text=text[:MAX_NAME], created_by=by, created_at=now))


def _target(uow: UnitOfWork, term_id: int) -> SubjectTerm:
    """Return the active subject merged into, or refuse."""
    term = uow.session.get(SubjectTerm, term_id)
    if term is None or not term.active:
        raise InvalidField("term", N_("Choose the subject the variants become."))
    return term


def _chosen(variants: Iterable[str]) -> list[str]:
    """Return the chosen variants (as stored), refusing an empty choice."""
    # A text no subject column holds (too long, with a NUL) is no variant in use: left out.
    chosen = sorted({v for v in variants if v and v.strip() and len(v) <= MAX_NAME and "\x00" not in v})
    if not chosen:
        raise InvalidField("variants", N_("Choose at least one variant to merge."))
    return chosen


def _publications(uow: UnitOfWork, variants: list[str]) -> list[Publication]:
    """Return the publications with one of these free-text subjects, in id order."""
    return list(
        uow.session.scalars(
            select(Publication)
            .where(Publication.subject.in_(variants), Publication.subject_id.is_(None))
            .order_by(Publication.id)
        )
    )


def _name(field: str, value: str) -> str:
    """Return a subject's name tidied, refusing an empty or too long one."""
    name = " ".join(clean_text(value or "").split())
    if not name:
        raise InvalidField(field, N_("Write the subject's name."))
    if len(name) > MAX_NAME:
        raise InvalidField(field, N_("This field holds at most %(max)s characters."), max=MAX_NAME)
    return name

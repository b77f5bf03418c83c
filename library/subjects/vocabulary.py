"""The controlled subjects: loaded from data, and a typed text mapped to one (by name or alias).

A publication's `subject` stays its display text; `subject_id` names the controlled subject it
is. A text maps to a subject when it folds (`catalog_data.fold`: accents, case and spaces do not
count) to the subject's Indonesian name, its English name, or one of its aliases (the spellings
merged into it). Anything else stays free text, listed on the librarian's merge screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from catalog_data import SubjectGroupRecord, fold, slug
from library.models import Publication, SubjectAlias, SubjectGroup, SubjectTerm
from library.uow import UnitOfWork


@dataclass(frozen=True)
class Mapped:
    """What a typed subject became: the text to keep and the controlled subject, if any."""

    text: str
    term: SubjectTerm | None

    @property
    def free(self) -> bool:
        """Tell whether a non-empty text stays free text (no controlled subject matched it)."""
        return bool(self.text) and self.term is None


def load_missing_subjects(uow: UnitOfWork, groups: Sequence[SubjectGroupRecord]) -> int:
    """Add the groups, subjects and aliases the database lacks; return how many subjects were added.

    What is there already is left alone (a librarian may have renamed or deactivated it); run
    again, it adds nothing.
    """
    have_groups = {g.code: g for g in uow.session.scalars(select(SubjectGroup))}
    have_terms = {fold(t.name_id): t for t in uow.session.scalars(select(SubjectTerm))}
    have_aliases = set(uow.session.scalars(select(SubjectAlias.text)))
    added = 0
    for position, record in enumerate(groups):
        group = have_groups.get(record.code)
        if group is None:
            group = SubjectGroup(
                code=record.code, name_id=record.name, name_en=record.name_en, position=position
            )
            uow.session.add(group)
        for term_record in record.terms:
            term = have_terms.get(fold(term_record.name))
            if term is None:
                term = SubjectTerm(
                    group=group,
                    code=term_record.code,
                    name_id=term_record.name,
                    name_en=term_record.name_en,
                    bps_id=term_record.bps_id,
                    origin=term_record.origin,
                )
                uow.session.add(term)
                have_terms[fold(term.name_id)] = term
                added += 1
    uow.session.flush()  # the new subjects' ids, for their aliases
    for record in groups:
        for term_record in record.terms:
            term = have_terms[fold(term_record.name)]
            for alias in {fold(a) for a in term_record.aliases} - have_aliases - set(have_terms):
                uow.session.add(SubjectAlias(term_id=term.id, text=alias))
                have_aliases.add(alias)
    uow.session.flush()
    return added


def controlled_subject(uow: UnitOfWork, text: str) -> SubjectTerm | None:
    """Return the active controlled subject a typed text is (its name in either language, or an alias).

    For every path that takes a subject in: the librarian's form, CSV batches, MARC records.
    """
    folded = fold(text)
    if not folded:
        return None
    for term in uow.session.scalars(select(SubjectTerm).where(SubjectTerm.active.is_(True))):
        if folded in (fold(term.name_id), fold(term.name_en)):
            return term
    return uow.session.scalar(
        select(SubjectTerm)
        .join(SubjectAlias, SubjectAlias.term_id == SubjectTerm.id)
        .where(SubjectAlias.text == folded, SubjectTerm.active.is_(True))
    )


def map_subject(uow: UnitOfWork, text: str, current: int | None = None) -> Mapped:
    """Return what a typed subject is kept as: the subject's Indonesian name, or the text as typed.

    `current` is the subject a record names already: kept while the text is still its name,
    even once deactivated (a deactivated subject is no longer given, not taken away).
    """
    typed = " ".join((text or "").split())
    named = uow.session.get(SubjectTerm, current) if current is not None else None
    if named is not None and named.name_id == typed:
        return Mapped(typed, named)
    term = controlled_subject(uow, typed)
    return Mapped(term.name_id if term else typed, term)


def apply_subject(uow: UnitOfWork, publication: Publication) -> Mapped:
    """Map a publication's subject text: set its controlled subject (and that subject's name) or none."""
    mapped = map_subject(uow, publication.subject, publication.subject_id)
    publication.subject = mapped.text
    publication.subject_id = mapped.term.id if mapped.term else None
    return mapped


def subject_keys(uow: UnitOfWork) -> dict[str, str]:
    """Return each active subject's Indonesian name by every folded spelling of it (names, aliases)."""
    keys: dict[str, str] = {}
    for term in uow.session.scalars(select(SubjectTerm).where(SubjectTerm.active.is_(True))):
        keys.setdefault(fold(term.name_en), term.name_id)
        keys[fold(term.name_id)] = term.name_id
    aliases = uow.session.execute(
        select(SubjectAlias.text, SubjectTerm.name_id)
        .join(SubjectTerm, SubjectTerm.id == SubjectAlias.term_id)
        .where(SubjectTerm.active.is_(True))
    )
    for text, name in aliases:
        keys.setdefault(text, name)
    keys.pop("", None)
    return keys


def subject_names(uow: UnitOfWork) -> list[str]:
    """Return the active controlled subjects' Indonesian names, for a form to suggest."""
    return list(
        uow.session.scalars(
            select(SubjectTerm.name_id).where(SubjectTerm.active.is_(True)).order_by(SubjectTerm.name_id)
        )
    )


def english_name(uow: UnitOfWork, term_id: int | None) -> str:
    """Return a controlled subject's English name ('' for none)."""
    term = uow.session.get(SubjectTerm, term_id) if term_id is not None else None
    return term.name_en if term else ""


def free_text_count(uow: UnitOfWork) -> int:
    """Return how many publications have a subject text that is not a controlled subject."""
    return int(
        uow.session.scalar(
            select(func.count())
            .select_from(Publication)
            .where(Publication.subject != "", Publication.subject_id.is_(None))
        )
        or 0
    )


def new_term_code(uow: UnitOfWork, name: str) -> str:
    """Return a free slug for a new subject."""
    base = slug(name) or "subjek"
    taken = set(uow.session.scalars(select(SubjectTerm.code).where(SubjectTerm.code.like(f"{base}%"))))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code

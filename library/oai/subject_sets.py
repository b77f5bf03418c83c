"""The controlled subjects as harvesters see them: one set per group, the subject in both languages.

`subject:<group-code>` (under the `subject` parent, beside the `subject:<slug>` set of each
subject text) holds the publications whose controlled subject is in that group; a controlled
subject's record carries `dc:subject` in Indonesian and in English.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from library.models import Publication, SubjectGroup, SubjectTerm
from library.uow import UnitOfWork


@dataclass(frozen=True)
class Controlled:
    """What a record shows of its controlled subject: its group's code and its English name."""

    group: str
    name_en: str


def controlled_subjects(uow: UnitOfWork) -> dict[int, Controlled]:
    """Return every controlled subject's group code and English name, by its id."""
    rows = uow.session.execute(
        select(SubjectTerm.id, SubjectGroup.code, SubjectTerm.name_en).outerjoin(
            SubjectGroup, SubjectGroup.id == SubjectTerm.group_id
        )
    )
    return {term_id: Controlled(code or "", name_en) for term_id, code, name_en in rows}


def group_sets(uow: UnitOfWork) -> list[tuple[str, str]]:
    """Return (spec, name) of each group with published publications, in the groups' order."""
    rows = uow.session.execute(
        select(SubjectGroup.code, SubjectGroup.name_id)
        .join(SubjectTerm, SubjectTerm.group_id == SubjectGroup.id)
        .join(Publication, Publication.subject_id == SubjectTerm.id)
        .where(Publication.published_at.is_not(None))
        .group_by(SubjectGroup.id, SubjectGroup.code, SubjectGroup.name_id, SubjectGroup.position)
        .order_by(SubjectGroup.position, SubjectGroup.id)
    )
    return [(f"subject:{code}", name) for code, name in rows]


def in_group(uow: UnitOfWork, code: str) -> ColumnElement[bool] | None:
    """Return the condition for a group's set (None: no group has this code)."""
    group_id = uow.session.scalar(select(SubjectGroup.id).where(SubjectGroup.code == code))
    if group_id is None:
        return None
    return Publication.subject_id.in_(select(SubjectTerm.id).where(SubjectTerm.group_id == group_id))

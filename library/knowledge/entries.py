"""Consultants write knowledge-base entries, from scratch or from a consultation that helped.

An entry starts as a draft only staff see; published, it has a public page, shows in the site
search and on the consultation form. Every change records who made it and when. Changes to
what the public sees reach the answers' search index by a job queued after commit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from library.errors import InvalidField, InvalidFields, InvalidInput, NotFound, PustakaError
from library.i18n import N_
from library.models import (
    Consultation,
    ConsultationAction,
    ConsultationStatus,
    KnowledgeEntry,
    KnowledgeStatus,
    User,
)
from library.permissions import Actor, require_consult
from library.text import clean_text
from library.uow import UnitOfWork

LIMITS = {"title": 300, "topic": 200, "answer": 20000}
REQUIRED = {
    "title": N_("Write the question this entry answers."),
    "topic": N_("Write the topic of the entry."),
    "answer": N_("Write the answer."),
}
LEFT_OUT = "[…]"  # what stands where the person who asked was named
# Called after commit with an entry's id, to bring its place in the answers' index up to date.
Reindex = Callable[[int], None]


@dataclass(frozen=True)
class KnowledgeEntryDetails:
    """What the entry form sends, as typed."""

    title: str = ""
    topic: str = ""
    answer: str = ""


def check_entry_details(form: KnowledgeEntryDetails) -> KnowledgeEntryDetails:
    """Return the form tidied, or refuse it naming every problem at once."""
    tidy = KnowledgeEntryDetails(**{name: clean_text(value) for name, value in vars(form).items()})
    problems: list[PustakaError] = []
    for name, missing in REQUIRED.items():
        value = getattr(tidy, name)
        if not value:
            problems.append(InvalidField(name, missing))
        elif len(value) > LIMITS[name]:
            problems.append(InvalidField(name, N_("Write at most %(n)s characters."), n=LIMITS[name]))
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidFields(problems)
    return tidy


def check_create_entry(
    uow: UnitOfWork,
    actor: Actor | None,
    form: KnowledgeEntryDetails,
    now: dt.datetime,
    from_consultation: str = "",
) -> int:
    """Record a new draft entry (linked to the consultation it came from, if any) and return its id."""
    staff = require_consult(uow, actor)
    tidy = check_entry_details(form)
    source = _closed_consultation(uow, from_consultation) if from_consultation else None
    row = KnowledgeEntry(
        **vars(tidy),
        status=KnowledgeStatus.DRAFT.value,
        consultation_id=source.id if source else None,
        created_by=staff.id,
        created_at=now,
        edited_by=staff.id,
        edited_at=now,
    )
    uow.session.add(row)
    uow.session.flush()
    return row.id


def check_edit_entry(
    uow: UnitOfWork,
    actor: Actor | None,
    entry_id: int,
    form: KnowledgeEntryDetails,
    now: dt.datetime,
    reindex: Reindex,
) -> None:
    """Change an entry's question, topic and answer; a published one is indexed again after commit."""
    staff = require_consult(uow, actor)
    row = find_entry(uow, entry_id)
    tidy = check_entry_details(form)
    row.title, row.topic, row.answer = tidy.title, tidy.topic, tidy.answer
    row.edited_by, row.edited_at = staff.id, now
    if row.status == KnowledgeStatus.PUBLISHED.value:
        uow.after_commit(lambda: reindex(entry_id))


def check_publish(
    uow: UnitOfWork, actor: Actor | None, entry_id: int, now: dt.datetime, reindex: Reindex, *, publish: bool
) -> None:
    """Publish an entry (public page, search, consultation form) or take it back to a draft."""
    staff = require_consult(uow, actor)
    row = find_entry(uow, entry_id)
    wanted = KnowledgeStatus.PUBLISHED if publish else KnowledgeStatus.DRAFT
    if row.status == wanted.value:
        raise InvalidInput(
            N_("This entry is already published.") if publish else N_("This entry is already a draft.")
        )
    row.status = wanted.value
    row.published_at = now if publish else None
    row.edited_by, row.edited_at = staff.id, now
    uow.after_commit(lambda: reindex(entry_id))


def consultation_draft(uow: UnitOfWork, actor: Actor | None, number: str) -> KnowledgeEntryDetails:
    """Return a draft from a closed consultation: its question and the answer given, the user left out."""
    require_consult(uow, actor)
    row = _closed_consultation(uow, number)
    user = uow.session.get(User, row.user_id) if row.user_id is not None else None
    said = (user.email, user.name) if user is not None else (row.contact, row.contact_name)
    staff = [m for m in row.messages if m.from_staff and m.author_id is not None]
    answers = _answers(row) or [m.body for m in staff[-1:]]
    return KnowledgeEntryDetails(
        title=_left_out(row.question, said)[: LIMITS["title"]],
        topic=_left_out(row.topic, said)[: LIMITS["topic"]],
        answer=_left_out("\n\n".join(answers), said)[: LIMITS["answer"]],
    )


def find_entry(uow: UnitOfWork, entry_id: int) -> KnowledgeEntry:
    """Return the entry with this id."""
    row = uow.session.get(KnowledgeEntry, entry_id)
    if row is None:
        raise NotFound(N_("There is no such knowledge-base entry."))
    return row


def _closed_consultation(uow: UnitOfWork, number: str) -> Consultation:
    """Return a closed consultation by its number; an entry grows only from a finished one."""
    row = uow.session.scalar(select(Consultation).where(Consultation.number == number.strip()[:40]))
    if row is None:
        raise NotFound(N_("There is no consultation %(number)s."), number=number.strip()[:40])
    if row.status != ConsultationStatus.CLOSED.value:
        raise InvalidInput(
            N_("Close consultation %(number)s before making a knowledge-base entry of it."), number=row.number
        )
    return row


def _answers(row: Consultation) -> list[str]:
    """Return the messages sent as the answer: for each answering step, its author's last message by then."""
    found: dict[int, str] = {}
    for event in row.events:
        if event.action != ConsultationAction.ANSWERED.value:
            continue
        sent = [
            m for m in row.messages if m.from_staff and m.author_id == event.actor_id and m.at <= event.at
        ]
        if sent:
            found[sent[-1].id] = sent[-1].body
    return list(found.values())


def _left_out(text: str, asker: tuple[str, ...]) -> str:
    """Return the text with the asking person's email address (or number) and name replaced."""
    for said in asker:
        if len(said.strip()) >= 3:
            text = re.sub(re.escape(said.strip()), LEFT_OUT, text, flags=re.IGNORECASE)
    return text

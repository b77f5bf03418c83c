"""The work waiting behind the staff's menu links, counted in one statement for a person.

Every staff page shows, beside its links, how many requests wait for a decision, drafts for
publishing, consultations for a first reading and complaints for taking up. Asked one by one
they were four statements (and a read of the person) on every staff page; here the counts the
person may see are scalar subqueries of one SELECT.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import cache, reduce
from typing import Any

from sqlalchemy import Select, select

from library.accounts.person_reads import as_read
from library.catalogue.staff_list import drafts_counted
from library.consultation.read_models import unread_counted
from library.permissions import Actor, may_consult, may_decide_requests, may_handle_complaints, may_ingest
from library.quality.complaints.read_models import new_complaints_counted
from library.softcopy.read_models import needing_decision_counted
from library.uow import UnitOfWork


@dataclass(frozen=True)
class StaffWaiting:
    """What waits for a person's attention; 0 where they may not see it."""

    desk: int = 0  # requests to decide (a librarian's) and drafts to publish (anyone who ingests)
    consultations: int = 0  # consultations nobody has read yet
    complaints: int = 0  # complaints nobody has taken up yet


def count_staff_waiting(uow: UnitOfWork, actor: Actor | None) -> StaffWaiting:
    """Return the work waiting for this person, each part only where their roles let them see it."""
    person = as_read(uow, actor)
    ingests = may_ingest(person)
    seen = (
        ingests,
        ingests and may_decide_requests(person),
        may_consult(person),
        may_handle_complaints(person),
    )
    if not any(seen):
        return StaffWaiting()
    row = uow.session.execute(_statement(*seen)).one()
    return StaffWaiting(**{name: int(value or 0) for name, value in row._mapping.items()})


@cache
def _statement(drafts: bool, deciding: bool, consultations: bool, complaints: bool) -> Select[Any]:
    """Return the one SELECT of the counts asked for, built once for each combination of them
    (building it is three quarters of its cost on SQLite)."""
    parts = {
        "desk": [
            count for count, on in ((drafts_counted, drafts), (needing_decision_counted, deciding)) if on
        ],
        "consultations": [unread_counted] if consultations else [],
        "complaints": [new_complaints_counted] if complaints else [],
    }
    columns: list[Any] = [
        reduce(operator.add, (count().scalar_subquery() for count in counts)).label(name)
        for name, counts in parts.items()
        if counts
    ]
    return select(*columns)

"""Importing a MARC file: a dry run that reports, then the same plan applied a batch at a time.

The dry run and the import read the file the same way and plan each record the same way
(`planning`); the dry run writes nothing. The import plans each record again in its own batch's
transaction, so it acts on the catalogue as it is then: a batch of records commits together
(`BATCH` of them), and a record refused never stops the others. A merge is kept in the
publication's history as the desk's edits are, under the librarian who imported (or "Impor MARC"
from the command line).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from sqlalchemy import select

from library.catalogue.editing import save_changes, set_field
from library.catalogue.holdings import HoldingDetails, new_holding
from library.catalogue.marc.files import ReadRecord
from library.catalogue.marc.planning import Action, ImportOptions, RecordPlan, plan_record
from library.catalogue.marc.profile import Words
from library.catalogue.marc.reading import describe
from library.catalogue.metadata_rules import parse_date
from library.collection.items import keep_items_in_step
from library.i18n import N_
from library.job_queue import JobQueue, index_with_transaction
from library.models import AccessLevel, Office, Publication
from library.permissions import ONLY_LIBRARIANS, Actor, is_person, may_ingest, require
from library.subjects.vocabulary import apply_subject
from library.uow import UnitOfWork

BATCH = 100
CLI_NAME = "Impor MARC"  # who the history names for an import from the command line
SAME_AS_EARLIER = N_("It describes the same publication as record %(number)s of this file.")
_IDENTITY = ("isbn", "nomor_publikasi")  # two new records of one file sharing one are the same


@dataclass
class ImportReport:
    """Every record of a file and what the import did (or, in a dry run, would do) with it."""

    applied: bool
    plans: list[RecordPlan] = field(default_factory=list)

    def count(self, action: Action) -> int:
        """Return how many records get this action."""
        return sum(1 for plan in self.plans if plan.action is action)

    @property
    def counts(self) -> dict[str, int]:
        """Return the number of records per action, every action named."""
        return {action.value: self.count(action) for action in Action}


def import_records(
    open_uow: Callable[[], AbstractContextManager[UnitOfWork]],
    actor: Actor | None,
    queue: JobQueue,
    records: Iterable[ReadRecord],
    options: ImportOptions,
    *,
    apply: bool,
    now: dt.datetime,
) -> ImportReport:
    """Plan every record of a file and, when `apply`, carry each batch out in its own transaction.

    `open_uow` opens the unit of work of one batch: a transaction that commits for an import,
    one that rolls back for a dry run.
    """
    report = ImportReport(applied=apply)
    seen: dict[tuple[str, str], int] = {}
    for batch in _batches(records, BATCH):
        with open_uow() as uow:
            who = _importer(uow, actor)
            for read in batch:
                plan = _plan(uow, read, options, seen)
                if apply and plan.action in (Action.CREATE, Action.MERGE):
                    plan = _carried_out(uow, queue, plan, options, who, now)
                report.plans.append(plan)
    return report


def _plan(
    uow: UnitOfWork, read: ReadRecord, options: ImportOptions, seen: dict[tuple[str, str], int]
) -> RecordPlan:
    """Plan one record as read; a record of a publication this file already brought in is refused.

    The check comes before matching, so a dry run (which creates nothing) and the import (which
    has created the first one by then) say the same.
    """
    if read.record is None:
        return RecordPlan(read.number, "", Action.REFUSED, problem=read.problem)
    description = describe(read.record, options.default_location)
    identities = [("key", key) for key in description.keys]
    identities += [(name, description.fields[name]) for name in _IDENTITY if description.fields.get(name)]
    earlier = next((seen[i] for i in identities if i in seen), None)
    if earlier is not None:
        problem = Words(SAME_AS_EARLIER, {"number": earlier})
        return RecordPlan(read.number, description.fields.get("title", ""), Action.REFUSED, problem=problem)
    plan = plan_record(uow, read.number, description, options)
    if read.warnings:
        plan = _with_notes(plan, read.warnings)
    if plan.action is Action.CREATE:
        seen.update((identity, read.number) for identity in identities)
    return plan


def _carried_out(
    uow: UnitOfWork,
    queue: JobQueue,
    plan: RecordPlan,
    options: ImportOptions,
    who: tuple[int | None, str],
    now: dt.datetime,
) -> RecordPlan:
    """Create or merge one planned record in the open transaction; index it with the change."""
    if plan.action is Action.CREATE:
        publication = _created(uow, plan, options, now)
        apply_subject(uow, publication)
    else:
        publication = uow.session.get_one(Publication, plan.publication_id)
        offices = {office.code: office for office in uow.session.scalars(select(Office))}
        changes = {c.field: (c.old, c.new) for c in plan.changes if c.applied}
        for name, (_old, new) in changes.items():
            set_field(publication, name, new, offices)
        if "subject" in changes:  # typed as another system spells it: the controlled subject, if any
            changes["subject"] = (changes["subject"][0], apply_subject(uow, publication).text)
        _add_holdings(uow, publication, plan, options, now)
        if changes:
            save_changes(uow, queue, publication, who, changes, now)
            return plan
    uow.session.flush()
    index_with_transaction(uow, queue, publication.id)
    return plan if plan.publication_id else _with_id(plan, publication.id)


def _created(uow: UnitOfWork, plan: RecordPlan, options: ImportOptions, now: dt.datetime) -> Publication:
    """Add a new publication from a planned record, with its holdings."""
    values = dict(plan.values)
    office = uow.session.scalar(select(Office).where(Office.code == plan.office_code))
    assert office is not None  # the plan found it in this transaction
    publication = Publication(
        key=plan.key,
        issuing_office=office,
        published_at=None if options.drafts else now,
        access_level=values.pop("access_level", AccessLevel.OPEN.value),
        embargo_until=parse_date(values.pop("embargo_until", "")),
        actual_release=parse_date(values.pop("actual_release", "")),
        scheduled_release=parse_date(values.pop("scheduled_release", "")),
        **values,
    )
    uow.session.add(publication)
    _add_holdings(uow, publication, plan, options, now)
    return publication


def _add_holdings(
    uow: UnitOfWork, publication: Publication, plan: RecordPlan, options: ImportOptions, now: dt.datetime
) -> None:
    """Add the planned holdings (already checked as the desk checks them), each copy an item."""
    added = [
        new_holding(HoldingDetails(line.call_number, line.location, line.copies, note=line.note))
        for line in plan.holdings
    ]
    publication.holdings.extend(added)
    uow.session.flush()
    for holding in added:
        keep_items_in_step(uow, None, holding, options.numbering, now=now)


def _importer(uow: UnitOfWork, actor: Actor | None) -> tuple[int | None, str]:
    """Return who imports, as the history names them: a librarian, or the command line."""
    fresh = require(uow, actor, may_ingest, ONLY_LIBRARIANS)
    return (fresh.id, fresh.name) if is_person(fresh) else (None, CLI_NAME)


def _with_notes(plan: RecordPlan, notes: tuple[Words, ...]) -> RecordPlan:
    """Return the plan with notes about how its record was read."""
    return RecordPlan(**{**plan.__dict__, "notes": (*notes, *plan.notes)})


def _with_id(plan: RecordPlan, publication_id: int) -> RecordPlan:
    """Return a carried-out creation with the id of the publication it made."""
    return RecordPlan(**{**plan.__dict__, "publication_id": publication_id})


def _batches(records: Iterable[ReadRecord], size: int) -> Iterator[list[ReadRecord]]:
    """Yield the records in lists of `size`, reading no further ahead."""
    iterator = iter(records)
    while batch := list(itertools.islice(iterator, size)):
        yield batch

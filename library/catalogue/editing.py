"""Librarians edit a publication after ingest: its metadata, access and embargo; withdraw and restore it.

Every change is kept in `publication_change` (who, when, which field, the value before and
after) and raises the publication's version. A save made on an older version than the one
stored is refused with `EditConflict`, which names what the others changed, so two
librarians never silently overwrite each other. The search index entry is brought up to date
with the change: in its transaction on PostgreSQL's index, after the commit on Whoosh (a
withdrawn publication leaves the index; `indexing` decides).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from library.catalogue.metadata_rules import (
    FIELD_NAMES,
    PublicationFields,
    changed_fields,
    clean_fields,
    fields_of,
    parse_date,
    tidy_fields,
    with_changes,
)
from library.errors import InvalidField, InvalidInput, NotFound
from library.i18n import N_
from library.job_queue import JobQueue, index_with_transaction
from library.models import AccessLevel, Office, Publication, PublicationChange, User
from library.models.labels import ACCESS_LEVELS
from library.permissions import Actor, require_edit_publications
from library.subjects.vocabulary import map_subject, subject_names
from library.text import clean_text
from library.uow import UnitOfWork

MAX_REASON = 500
DRAFT, PUBLISHED, WITHDRAWN = "draft", "published", "withdrawn"
# The history's words for each field (and for the status a withdrawal changes).
FIELD_LABELS: Mapping[str, str] = {
    "title": N_("Title"),
    "alternative_title": N_("Alternative title"),
    "abstract": N_("Abstract"),
    "subject": N_("Subject"),
    "publication_type": N_("Publication type"),
    "language": N_("Language"),
    "reference_period": N_("Reference period"),
    "scheduled_release": N_("Scheduled release"),
    "actual_release": N_("Released"),
    "office": N_("Issuing office"),
    "katalog_bps": N_("BPS catalogue number"),
    "nomor_publikasi": N_("Publication number"),
    "issn": N_("ISSN"),
    "isbn": N_("ISBN"),
    "doi": N_("DOI"),
    "access_level": N_("Access"),
    "embargo_until": N_("Embargo until"),
    "status": N_("Status"),
    "withdrawal_reason": N_("Reason for withdrawal"),
}
STATUS_WORDS = {DRAFT: N_("Draft"), PUBLISHED: N_("Published"), WITHDRAWN: N_("Withdrawn")}


@dataclass(frozen=True)
class Change:
    """One field changed in one save, as the history shows it."""

    version: int
    changed_at: dt.datetime
    changed_by: str
    field: str
    old_value: str
    new_value: str

    @property
    def label(self) -> str:
        """Return the words (not yet translated) naming the field."""
        return FIELD_LABELS.get(self.field, self.field)

    @property
    def coded(self) -> bool:
        """Tell whether the values are codes shown in words (translated when shown)."""
        return self.field in ("access_level", "status")

    def shown(self, value: str) -> str:
        """Return a value as the history shows it: codes in words (not yet translated)."""
        if self.field == "access_level" and value in {a.value for a in AccessLevel}:
            return ACCESS_LEVELS[AccessLevel(value)]
        if self.field == "status":
            return STATUS_WORDS.get(value, value)
        return value


@dataclass(frozen=True)
class EditablePublication:
    """A publication as its edit page shows it: its fields, status, the offices and the history."""

    id: int
    title: str
    version: int
    fields: PublicationFields
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str
    draft: bool  # taken in, not yet published: the public does not see it
    offices: tuple[tuple[str, str], ...]  # (code, name)
    history: tuple[Change, ...]  # newest first
    subjects: tuple[str, ...] = ()  # the controlled subjects the subject field suggests


@dataclass(frozen=True)
class Saved:
    """What a save did: the publication's version now and the fields it changed."""

    publication_id: int
    version: int
    changed: tuple[str, ...]
    free_subject: bool = False  # the subject is kept as typed: no controlled subject matched it


class EditConflict(InvalidInput):
    """Someone saved the publication after the librarian opened it: nothing was saved.

    `merged` is the librarian's own changes laid over what is stored now, for the form to show
    again; `theirs` is what the others changed meanwhile.
    """

    def __init__(
        self, yours: int, current: int, theirs: tuple[Change, ...], merged: PublicationFields
    ) -> None:
        super().__init__(
            N_(
                "Someone else saved this publication after you opened it, so nothing was saved. "
                "The page now shows what is stored, with the changes you typed kept in the form: "
                "check the history below, then try again."
            )
        )
        self.yours, self.current, self.theirs, self.merged = yours, current, theirs, merged


def get_editable(uow: UnitOfWork, actor: Actor | None, publication_id: int) -> EditablePublication:
    """Return a publication with everything its edit page shows; librarians only."""
    require_edit_publications(uow, actor)
    publication = _publication(uow, publication_id)
    offices = uow.session.execute(select(Office.code, Office.name).order_by(Office.code)).all()
    return EditablePublication(
        id=publication.id,
        title=publication.title,
        version=publication.version,
        fields=fields_of(publication),
        withdrawn_at=publication.withdrawn_at,
        withdrawal_reason=publication.withdrawal_reason,
        draft=publication.draft,
        offices=tuple((code, name) for code, name in offices),
        history=tuple(reversed(_history(uow, publication_id))),
        subjects=tuple(subject_names(uow)),
    )


def check_edit_publication(
    uow: UnitOfWork,
    actor: Actor | None,
    queue: JobQueue,
    publication_id: int,
    version: int,
    typed: PublicationFields,
    *,
    today: dt.date,
    now: dt.datetime,
) -> Saved:
    """Save what a librarian changed in a publication's fields, opened at `version`; librarians only."""
    editor = require_edit_publications(uow, actor)
    publication = _publication(uow, publication_id, lock=True)
    before = fields_of(publication)
    if version != publication.version:
        raise _conflict(uow, publication, version, typed)
    offices = {office.code: office for office in uow.session.scalars(select(Office))}
    clean = clean_fields(typed, before, offices, today)
    subject = map_subject(uow, clean.subject, publication.subject_id)  # a controlled subject, or as typed
    clean = with_changes(clean, {"subject": subject.text})
    changes = changed_fields(before, clean)
    subject_id = subject.term.id if subject.term else None
    if not changes and subject_id == publication.subject_id:
        return Saved(publication.id, publication.version, (), subject.free)
    for name in FIELD_NAMES:
        if name in changes:
            set_field(publication, name, getattr(clean, name), offices)
    publication.subject_id = subject_id
    _save(uow, queue, publication, editor, changes, now)
    return Saved(publication.id, publication.version, tuple(changes), subject.free)


def _unchanged_since(
    uow: UnitOfWork, actor: Actor | None, publication_id: int, version: int
) -> tuple[User, Publication]:
    """Return the editor and the publication, locked, refusing it if it changed since `version`."""
    editor = require_edit_publications(uow, actor)
    publication = _publication(uow, publication_id, lock=True)
    if version != publication.version:
        raise _conflict(uow, publication, version, fields_of(publication))
    return editor, publication


def check_withdraw_publication(
    uow: UnitOfWork,
    actor: Actor | None,
    queue: JobQueue,
    publication_id: int,
    version: int,
    reason: str,
    *,
    now: dt.datetime,
) -> Saved:
    """Withdraw a publication from the public (catalogue, search, reader), saying why; librarians only."""
    editor, publication = _unchanged_since(uow, actor, publication_id, version)
    if publication.withdrawn:
        raise InvalidInput(N_("This publication is already withdrawn."))
    why = " ".join(clean_text(reason or "").split())
    if not why:
        raise InvalidField("reason", N_("Say why the publication is withdrawn; the history keeps it."))
    if len(why) > MAX_REASON:
        raise InvalidField("reason", N_("This field holds at most %(max)s characters."), max=MAX_REASON)
    changes = {"status": (PUBLISHED, WITHDRAWN), "withdrawal_reason": (publication.withdrawal_reason, why)}
    publication.withdrawn_at = now
    publication.withdrawal_reason = why
    _save(uow, queue, publication, editor, changes, now)
    return Saved(publication.id, publication.version, tuple(changes))


def check_restore_publication(
    uow: UnitOfWork,
    actor: Actor | None,
    queue: JobQueue,
    publication_id: int,
    version: int,
    *,
    now: dt.datetime,
) -> Saved:
    """Bring a withdrawn publication back to the public; librarians only."""
    editor, publication = _unchanged_since(uow, actor, publication_id, version)
    if not publication.withdrawn:
        raise InvalidInput(N_("This publication is not withdrawn."))
    changes = {"status": (WITHDRAWN, PUBLISHED), "withdrawal_reason": (publication.withdrawal_reason, "")}
    publication.withdrawn_at = None
    publication.withdrawal_reason = ""
    _save(uow, queue, publication, editor, changes, now)
    return Saved(publication.id, publication.version, tuple(changes))


def check_publish_publication(
    uow: UnitOfWork,
    actor: Actor | None,
    queue: JobQueue,
    publication_id: int,
    version: int,
    *,
    now: dt.datetime,
) -> Saved:
    """Make a draft public (catalogue, search, reader, harvesters) once checked; librarians only."""
    editor, publication = _unchanged_since(uow, actor, publication_id, version)
    if not publication.draft:
        raise InvalidInput(N_("This publication is published already."))
    if not publication.title.strip():
        raise InvalidField("title", N_("Give the publication its title before publishing it."))
    changes = {"status": (DRAFT, PUBLISHED)}
    publication.published_at = now
    _save(uow, queue, publication, editor, changes, now)
    return Saved(publication.id, publication.version, tuple(changes))


def set_field(publication: Publication, name: str, value: str, offices: Mapping[str, Office]) -> None:
    """Write one checked field to the publication."""
    if name == "office":
        publication.issuing_office = offices[value]
    elif name in ("scheduled_release", "actual_release", "embargo_until"):
        setattr(publication, name, parse_date(value))
    else:
        setattr(publication, name, value)


def _save(
    uow: UnitOfWork,
    queue: JobQueue,
    publication: Publication,
    editor: User,
    changes: Mapping[str, tuple[str, str]],
    now: dt.datetime,
) -> None:
    """Write the row (raising its version), keep each change in the history, index it with the change."""
    save_changes(uow, queue, publication, (editor.id, editor.name), changes, now)


def save_changes(
    uow: UnitOfWork,
    queue: JobQueue,
    publication: Publication,
    changed_by: tuple[int | None, str],
    changes: Mapping[str, tuple[str, str]],
    now: dt.datetime,
) -> None:
    """Write the row (raising its version), keep each change in the history under `changed_by` (id, name)."""
    uow.session.flush()  # the mapper raises `version` and refuses a row changed since it was read
    uow.session.add_all(
        PublicationChange(
            publication_id=publication.id,
            version=publication.version,
            changed_at=now,
            changed_by_id=changed_by[0],
            changed_by_name=changed_by[1],
            field=name,
            old_value=old,
            new_value=new,
        )
        for name, (old, new) in changes.items()
        if old != new
    )
    uow.session.flush()
    publication_id = publication.id
    index_with_transaction(uow, queue, publication_id)


def _conflict(
    uow: UnitOfWork, publication: Publication, yours: int, typed: PublicationFields
) -> EditConflict:
    """Return the refusal of a save made on an older version, with the librarian's changes kept."""
    theirs = tuple(c for c in _history(uow, publication.id) if c.version > yours)
    current = fields_of(publication)
    opened = current.as_dict()
    for change in reversed(theirs):  # undo the others' changes: the fields as the librarian saw them
        if change.field in opened:
            opened[change.field] = change.old_value
    mine = changed_fields(PublicationFields(**opened), tidy_fields(typed))
    merged = with_changes(current, {name: new for name, (_old, new) in mine.items()})
    return EditConflict(yours, publication.version, theirs, merged)


def _history(uow: UnitOfWork, publication_id: int) -> list[Change]:
    """Return a publication's changes, oldest first."""
    rows = uow.session.scalars(
        select(PublicationChange)
        .where(PublicationChange.publication_id == publication_id)
        .order_by(PublicationChange.id)
    )
    return [
        Change(r.version, r.changed_at, r.changed_by_name, r.field, r.old_value, r.new_value) for r in rows
    ]


def _publication(uow: UnitOfWork, publication_id: int, *, lock: bool = False) -> Publication:
    """Return the publication, withdrawn or not; refuse an id that names none."""
    query = select(Publication).where(Publication.id == publication_id)
    if lock:
        query = query.with_for_update(of=Publication)
    publication = uow.session.scalar(query)
    if publication is None:
        raise NotFound(N_("There is no publication number %(id)s."), id=publication_id)
    return publication

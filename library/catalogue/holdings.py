"""Printed holdings: where a publication's printed copies are, how many, and how they are read.

A publication has zero or more holdings, one per place its copies stand (the PST reading
room, a regency office's shelf...). Anyone may see them; only librarians add, change or
remove them (`check_add_holding`, `check_edit_holding`, `check_remove_holding`). A publication
is also found by its holdings' call numbers ("310.598 TUL m 2023"): given the job queue, a change
brings its search entry up to date (`library.job_queue.index_with_transaction`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from library.collection.barcodes import BarcodeNumbering
from library.collection.items import keep_items_in_step
from library.errors import InvalidField, NotFound
from library.i18n import N_
from library.job_queue import JobQueue, NoQueue, index_with_transaction
from library.models import Holding, Publication
from library.permissions import Actor, require_manage_holdings
from library.text import clean_text
from library.uow import UnitOfWork

MAX_CALL_NUMBER = 100
MAX_LOCATION = 200
MAX_NOTE = 500
MAX_COPIES = 999


@dataclass(frozen=True)
class HoldingDetails:
    """What a librarian says about printed copies in one place; `copies` as typed or counted."""

    call_number: str
    location: str
    copies: int | str
    reading_room_only: bool = True
    note: str = ""


@dataclass(frozen=True)
class HoldingView:
    """Printed copies of a publication in one place, as a visitor or a librarian sees them."""

    id: int
    call_number: str
    location: str
    copies: int
    reading_room_only: bool
    note: str


@dataclass(frozen=True)
class PrintedCopies:
    """A publication and every place its printed copies are."""

    publication_id: int
    title: str
    holdings: tuple[HoldingView, ...]

    def holding(self, holding_id: int) -> HoldingView:
        """Return one of these holdings; refuse an id that is not one of them."""
        found = next((h for h in self.holdings if h.id == holding_id), None)
        if found is None:
            raise _no_such_holding(holding_id)
        return found


def list_holdings(uow: UnitOfWork, publication_id: int) -> PrintedCopies:
    """Return a publication's printed holdings, in the order they were recorded."""
    publication = _publication(uow, publication_id)
    return PrintedCopies(publication.id, publication.title, holding_views(publication.holdings))


def check_add_holding(
    uow: UnitOfWork,
    actor: Actor | None,
    publication_id: int,
    details: HoldingDetails,
    numbering: BarcodeNumbering | None = None,
    *,
    now: dt.datetime,
    queue: JobQueue | None = None,
) -> HoldingView:
    """Record printed copies of a publication in one more place, an item per copy; librarians only."""
    require_manage_holdings(uow, actor)
    publication = _publication(uow, publication_id, lock=True)
    clean = clean_holding(details)
    _refuse_duplicate(publication, clean, None)
    row = new_holding(clean)
    publication.holdings.append(row)
    uow.session.flush()
    keep_items_in_step(uow, actor, row, numbering or BarcodeNumbering(), now=now)
    index_with_transaction(uow, queue or NoQueue(), publication.id)
    return holding_view(row)


def check_edit_holding(
    uow: UnitOfWork,
    actor: Actor | None,
    publication_id: int,
    holding_id: int,
    details: HoldingDetails,
    numbering: BarcodeNumbering | None = None,
    *,
    now: dt.datetime,
    queue: JobQueue | None = None,
) -> HoldingView:
    """Change what is recorded about printed copies in one place, its items in step; librarians only."""
    require_manage_holdings(uow, actor)
    publication = _publication(uow, publication_id, lock=True)
    row = _holding_of(publication, holding_id)
    clean = clean_holding(details)
    _refuse_duplicate(publication, clean, row)
    row.call_number = clean.call_number
    row.location = clean.location
    row.copies = int(clean.copies)
    row.reading_room_only = clean.reading_room_only
    row.note = clean.note
    uow.session.flush()
    keep_items_in_step(uow, actor, row, numbering or BarcodeNumbering(), now=now)
    index_with_transaction(uow, queue or NoQueue(), publication.id)
    return holding_view(row)


def check_remove_holding(
    uow: UnitOfWork, actor: Actor | None, publication_id: int, holding_id: int, queue: JobQueue | None = None
) -> HoldingView:
    """Remove the record of printed copies in one place (they were withdrawn or moved); librarians only."""
    require_manage_holdings(uow, actor)
    publication = _publication(uow, publication_id, lock=True)
    row = _holding_of(publication, holding_id)
    removed = holding_view(row)
    publication.holdings.remove(row)
    uow.session.flush()
    index_with_transaction(uow, queue or NoQueue(), publication.id)
    return removed


def clean_holding(details: HoldingDetails) -> HoldingDetails:
    """Return the details tidied (spaces, control characters) and checked; refuse them naming the field."""
    call_number = _one_line(details.call_number)
    location = _one_line(details.location)
    note = _one_line(details.note)
    if not call_number:
        raise InvalidField(
            "call_number", N_("Write the shelf mark (call number) of the copies, e.g. 310.598 MET k.")
        )
    if len(call_number) > MAX_CALL_NUMBER:
        raise InvalidField(
            "call_number", N_("A shelf mark has at most %(max)s characters."), max=MAX_CALL_NUMBER
        )
    if not location:
        raise InvalidField(
            "location", N_("Say where the copies are, e.g. Ruang baca PST, rak 3, so a visitor finds them.")
        )
    if len(location) > MAX_LOCATION:
        raise InvalidField("location", N_("A location has at most %(max)s characters."), max=MAX_LOCATION)
    if len(note) > MAX_NOTE:
        raise InvalidField("note", N_("A note has at most %(max)s characters."), max=MAX_NOTE)
    return HoldingDetails(
        call_number=call_number,
        location=location,
        copies=_copies(details.copies),
        reading_room_only=bool(details.reading_room_only),
        note=note,
    )


def new_holding(details: HoldingDetails) -> Holding:
    """Return a holding row for details already cleaned by `clean_holding`."""
    return Holding(
        call_number=details.call_number,
        location=details.location,
        copies=int(details.copies),
        reading_room_only=details.reading_room_only,
        note=details.note,
    )


def holding_views(rows: list[Holding]) -> tuple[HoldingView, ...]:
    """Return holdings in the order they were recorded: the librarian records the main place first."""
    return tuple(holding_view(h) for h in sorted(rows, key=lambda h: h.id))


def holding_view(row: Holding) -> HoldingView:
    """Return one holding as a visitor or a librarian sees it."""
    return HoldingView(row.id, row.call_number, row.location, row.copies, row.reading_room_only, row.note)


def _one_line(text: object) -> str:
    """Return text as one line: control characters out, runs of spaces made one."""
    return " ".join(clean_text(text if isinstance(text, str) else "").split())


def _copies(raw: int | str) -> int:
    """Return the number of copies, a whole number from 1 to MAX_COPIES; refuse anything else."""
    text = "" if isinstance(raw, bool) else str(raw).strip()
    if text.isascii() and text.isdigit() and len(text) <= 6 and 1 <= int(text) <= MAX_COPIES:
        return int(text)
    raise InvalidField(
        "copies", N_("The number of copies is a whole number from 1 to %(max)s."), max=MAX_COPIES
    )


def _publication(uow: UnitOfWork, publication_id: int, *, lock: bool = False) -> Publication:
    """Return the publication with its holdings; refuse an id that names none."""
    query = (
        select(Publication)
        .where(Publication.id == publication_id)
        .options(selectinload(Publication.holdings))
    )
    if lock:
        query = query.with_for_update(of=Publication)
    publication = uow.session.scalar(query)
    if publication is None:
        raise NotFound(N_("There is no publication number %(id)s."), id=publication_id)
    return publication


def _holding_of(publication: Publication, holding_id: int) -> Holding:
    """Return the publication's holding with this id; refuse one it does not have."""
    row = next((h for h in publication.holdings if h.id == holding_id), None)
    if row is None:
        raise _no_such_holding(holding_id)
    return row


def _no_such_holding(holding_id: int) -> NotFound:
    """Return the error for a holding id the publication does not have."""
    return NotFound(N_("This publication has no printed holding number %(id)s."), id=holding_id)


def _refuse_duplicate(publication: Publication, clean: HoldingDetails, editing: Holding | None) -> None:
    """Refuse a second holding with the same shelf mark in the same place: its copies are counted there."""
    key = (clean.call_number.casefold(), clean.location.casefold())
    for other in publication.holdings:
        if other is not editing and (other.call_number.casefold(), other.location.casefold()) == key:
            raise InvalidField(
                "call_number",
                N_(
                    "Copies with the shelf mark %(call_number)s are already recorded at %(location)s; "
                    "change their number of copies instead."
                ),
                call_number=other.call_number,
                location=other.location,
            )

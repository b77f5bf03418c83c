"""Shared set-up for the collection's tests: a librarian, publications with printed holdings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from library.catalogue.holdings import HoldingDetails, check_add_holding, check_edit_holding
from library.collection.barcodes import BarcodeNumbering
from library.models import Item, ItemEvent, Office, Publication, User
from library.uow import UnitOfWork

NUMBERING = BarcodeNumbering("{office}{number:06d}", "1872")
READING_ROOM = "Ruang baca PST, rak 3"
CITY_LIBRARY = "Perpustakaan Daerah Kota Metro"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # the time the use cases are told


def store_publications(uow: UnitOfWork, *titles: str) -> list[int]:
    """Store publications of one office; return their ids."""
    with uow:
        office = Office(code="1872", name="BPS Kota Metro")
        rows = [Publication(key=f"p{n}", title=t, issuing_office=office) for n, t in enumerate(titles)]
        uow.session.add_all(rows)
        uow.commit()
        return [r.id for r in rows]


def add_holding(
    uow: UnitOfWork,
    librarian: User,
    pid: int,
    copies: int,
    location: str = READING_ROOM,
    call: str = "310.598 MET k 2024",
) -> int:
    """Record printed copies as a librarian does; return the holding's id."""
    with uow:
        added = check_add_holding(
            uow, librarian, pid, HoldingDetails(call, location, copies), NUMBERING, now=NOW
        )
        uow.commit()
    return added.id


def edit_copies(
    uow: UnitOfWork, librarian: User, pid: int, holding_id: int, copies: int, location: str = READING_ROOM
) -> None:
    """Change a holding's number of copies as a librarian does."""
    with uow:
        details = HoldingDetails("310.598 MET k 2024", location, copies)
        check_edit_holding(uow, librarian, pid, holding_id, details, NUMBERING, now=NOW)
        uow.commit()


def items(uow: UnitOfWork, holding_id: int) -> list[tuple[str, str]]:
    """Return each item of a holding as (barcode, status), oldest first."""
    with uow:
        rows = uow.session.execute(
            select(Item.barcode, Item.status).where(Item.holding_id == holding_id).order_by(Item.id)
        )
        return [(b, s) for b, s in rows]


def history(uow: UnitOfWork, barcode: str) -> list[tuple[str, str]]:
    """Return an item's history as (action, status), oldest first."""
    with uow:
        rows = uow.session.execute(
            select(ItemEvent.action, ItemEvent.status)
            .join(Item, Item.id == ItemEvent.item_id)
            .where(Item.barcode == barcode)
            .order_by(ItemEvent.id)
        )
        return [(a, s) for a, s in rows]

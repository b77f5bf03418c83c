"""Printed copies as items: one per copy of a holding, each with a barcode, a status and a history.

A holding's `copies` counts its items that are not withdrawn. Adding copies makes new items
with new barcodes; taking copies away withdraws items that stand on the shelf (never deletes
one: its history stays). A librarian sets an item's status with a note, each change a line of
its history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from library.collection.barcodes import BarcodeNumbering, new_barcodes
from library.errors import InvalidField, InvalidInput, NotFound
from library.i18n import N_
from library.models import Holding, Item, ItemAction, ItemEvent, ItemStatus, Publication, User
from library.permissions import Actor, require_manage_holdings
from library.text import clean_text
from library.uow import UnitOfWork

MAX_ITEM_NOTE = 500
MAX_COPIES = 999


@dataclass(frozen=True)
class ItemEventView:
    """One line of an item's history."""

    action: ItemAction
    status: ItemStatus
    at: dt.datetime
    actor: str  # the person's name; "" for the system or a removed account
    stocktake_id: int | None
    note: str


@dataclass(frozen=True)
class ItemView:
    """One printed copy as a librarian sees it: where it belongs, what it is, where it is now."""

    id: int
    barcode: str
    call_number: str
    status: ItemStatus
    status_at: dt.datetime
    note: str
    holding_id: int
    location: str
    publication_id: int
    title: str
    created_at: dt.datetime
    history: tuple[ItemEventView, ...] = ()


def keep_items_in_step(
    uow: UnitOfWork, actor: Actor | None, holding: Holding, numbering: BarcodeNumbering, *, now: dt.datetime
) -> None:
    """Make the holding's items match its copies and call number: new ones numbered, extra ones withdrawn."""
    who = actor.id if isinstance(actor, User) else None
    items = list(uow.session.scalars(select(Item).where(Item.holding_id == holding.id).order_by(Item.id)))
    kept = [i for i in items if i.status != ItemStatus.WITHDRAWN.value]
    for item in items:
        item.call_number = holding.call_number
    if len(kept) < holding.copies:
        for barcode in new_barcodes(uow, numbering, holding.copies - len(kept)):
            _add_item(uow, holding, barcode, who, numbering)
    elif len(kept) > holding.copies:
        extra = len(kept) - holding.copies
        on_shelf = [i for i in reversed(kept) if i.status == ItemStatus.SHELF.value][:extra]
        if len(on_shelf) < extra:
            raise InvalidField(
                "copies",
                N_(
                    "Only %(shelf)s of the %(held)s copies are on the shelf, so the number cannot go down "
                    "to %(copies)s: set the status of the others first (missing, damaged, withdrawn)."
                ),
                shelf=sum(i.status == ItemStatus.SHELF.value for i in kept),
                held=len(kept),
                copies=holding.copies,
            )
        for item in on_shelf:
            # by lowering the holding's copies
            _set(item, ItemStatus.WITHDRAWN, ItemAction.STATUS, who, "", now=now)
    uow.session.flush()


def _add_item(
    uow: UnitOfWork, holding: Holding, barcode: str, who: int | None, numbering: BarcodeNumbering
) -> None:
    """Store a new item on the shelf; a barcode another copy took meanwhile gives way to the next one."""
    for _attempt in range(5):
        try:
            with uow.session.begin_nested():
                shelf = ItemStatus.SHELF.value
                item = Item(
                    holding_id=holding.id, barcode=barcode, call_number=holding.call_number, status=shelf
                )
                item.events.append(ItemEvent(action=ItemAction.CREATED.value, status=shelf, actor_id=who))
                uow.session.add(item)
            return
        except IntegrityError:  # committed by another librarian's transaction after this one numbered
            barcode = new_barcodes(uow, numbering, 1)[0]
    raise InvalidInput(N_("New barcodes keep colliding with others being made: save again in a moment."))


def check_set_item_status(
    uow: UnitOfWork, actor: Actor | None, barcode: str, status: str, note: str, *, now: dt.datetime
) -> ItemView:
    """Set an item's status with a note, as a line of its history; librarians only."""
    user = require_manage_holdings(uow, actor)
    item, holding, title = _item(uow, barcode, lock=True)
    try:
        wanted = ItemStatus(status)
    except ValueError:
        raise InvalidField("status", N_("Choose the copy's status from the list.")) from None
    text = " ".join(clean_text(note).split())
    if len(text) > MAX_ITEM_NOTE:
        raise InvalidField("note", N_("A note has at most %(max)s characters."), max=MAX_ITEM_NOTE)
    was_withdrawn = item.status == ItemStatus.WITHDRAWN.value
    if wanted == ItemStatus.WITHDRAWN and not was_withdrawn:
        if holding.copies <= 1:
            raise InvalidField(
                "status",
                N_("This is the holding's last copy: remove the holding on the publication's page instead."),
            )
        holding.copies -= 1
    elif was_withdrawn and wanted != ItemStatus.WITHDRAWN:
        if holding.copies >= MAX_COPIES:
            raise InvalidInput(N_("A holding has at most %(max)s copies."), max=MAX_COPIES)
        holding.copies += 1
    _set(item, wanted, ItemAction.STATUS, user.id, text, now=now)
    item.note = text or item.note
    uow.session.flush()
    return item_view(item, holding, title, _names(uow, item))


def find_item(uow: UnitOfWork, barcode: str) -> ItemView:
    """Return the item with this barcode and its history; refuse a barcode no item has."""
    item, holding, title = _item(uow, barcode)
    return item_view(item, holding, title, _names(uow, item))


def items_of_holdings(uow: UnitOfWork, holding_ids: list[int]) -> dict[int, tuple[ItemView, ...]]:
    """Return the items of each holding, by holding id, in the order they were made."""
    found: dict[int, list[ItemView]] = {h: [] for h in holding_ids}
    for item, holding, title in uow.session.execute(_with_place().where(Item.holding_id.in_(holding_ids))):
        found[holding.id].append(item_view(item, holding, title))
    return {h: tuple(views) for h, views in found.items()}


def item_view(item: Item, holding: Holding, title: str, names: dict[int, str] | None = None) -> ItemView:
    """Return an item as a librarian sees it, with its history when given the names of the people in it."""
    history = tuple(
        ItemEventView(
            ItemAction(e.action),
            ItemStatus(e.status),
            e.at,
            (names or {}).get(e.actor_id or 0, ""),
            e.stocktake_id,
            e.note,
        )
        for e in (item.events if names is not None else [])
    )
    return ItemView(
        item.id,
        item.barcode,
        item.call_number,
        ItemStatus(item.status),
        item.status_at,
        item.note,
        holding.id,
        holding.location,
        holding.publication_id,
        title,
        item.created_at,
        history,
    )


def clean_barcode(raw: object) -> str:
    """Return a scanned or typed barcode without spaces or control characters; refuse an empty or long one."""
    barcode = "".join(clean_text(raw if isinstance(raw, str) else "").split())
    if not barcode:
        raise InvalidField("barcode", N_("Scan or type the copy's barcode."))
    if len(barcode) > 40:
        raise InvalidField("barcode", N_("A barcode has at most %(max)s characters."), max=40)
    return barcode


def mark(
    item: Item,
    status: ItemStatus,
    action: ItemAction,
    actor_id: int | None,
    note: str = "",
    stocktake_id: int | None = None,
    *,
    now: dt.datetime,
) -> None:
    """Give an item a status (or keep it) with one line of history saying what happened."""
    _set(item, status, action, actor_id, note, stocktake_id, now=now)


def _set(
    item: Item,
    status: ItemStatus,
    action: ItemAction,
    actor_id: int | None,
    note: str,
    stocktake_id: int | None = None,
    *,
    now: dt.datetime,
) -> None:
    """Record the status and its history line; the status time moves only when the status changes."""
    if item.status != status.value:
        item.status = status.value
        item.status_at = now
    item.events.append(
        ItemEvent(
            action=action.value, status=status.value, actor_id=actor_id, note=note, stocktake_id=stocktake_id
        )
    )


def _names(uow: UnitOfWork, item: Item) -> dict[int, str]:
    """Return the names of the people in an item's history, by id."""
    ids = {e.actor_id for e in item.events if e.actor_id is not None}
    return {i: n for i, n in uow.session.execute(select(User.id, User.name).where(User.id.in_(ids)))}


def _with_place() -> Select[Item, Holding, str]:
    """Return the query of items with their holding and their publication's title, oldest first."""
    return (
        select(Item, Holding, Publication.title)
        .join(Holding, Holding.id == Item.holding_id)
        .join(Publication, Publication.id == Holding.publication_id)
        .order_by(Item.id)
    )


def _item(uow: UnitOfWork, barcode: str, *, lock: bool = False) -> tuple[Item, Holding, str]:
    """Return the item with this barcode, its holding and title; refuse a barcode no item has."""
    wanted = clean_barcode(barcode)
    query = _with_place().where(Item.barcode == wanted).options(selectinload(Item.events))
    if lock:
        query = query.with_for_update(of=Item)
    row = uow.session.execute(query).first()
    if row is None:
        raise NotFound(N_("No copy has the barcode %(barcode)s."), barcode=wanted)
    return row[0], row[1], row[2]


def recent_items(uow: UnitOfWork, actor: Actor | None, status: str = "", limit: int = 100) -> list[ItemView]:
    """Return the items whose status changed last (of one status if given), newest first; librarians only."""
    require_manage_holdings(uow, actor)
    query = _with_place().order_by(None).order_by(Item.status_at.desc(), Item.id.desc()).limit(limit)
    if status:
        query = query.where(Item.status == status)
    return [item_view(item, holding, title) for item, holding, title in uow.session.execute(query)]

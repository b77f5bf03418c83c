"""In-house use: the reading room counts each printed copy read there by scanning it when it is put back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from library.collection.items import ItemView, clean_barcode, item_view, mark
from library.errors import InvalidInput, NotFound
from library.i18n import N_
from library.models import Holding, Item, ItemAction, ItemEvent, ItemStatus, Publication
from library.permissions import Actor, require_count_use
from library.uow import UnitOfWork


@dataclass(frozen=True)
class UseCount:
    """How often a publication's printed copies were read in the reading room in a period."""

    publication_id: int
    title: str
    uses: int


def check_record_use(uow: UnitOfWork, actor: Actor | None, raw_barcode: str, *, now: dt.datetime) -> ItemView:
    """Count one reading of a copy in the reading room; a copy thought missing is back on the shelf."""
    user = require_count_use(uow, actor)
    barcode = clean_barcode(raw_barcode)
    row = uow.session.execute(
        select(Item, Holding, Publication.title)
        .join(Holding, Holding.id == Item.holding_id)
        .join(Publication, Publication.id == Holding.publication_id)
        .where(Item.barcode == barcode)
        .with_for_update(of=Item)
    ).first()
    if row is None:
        raise NotFound(N_("No copy has the barcode %(barcode)s."), barcode=barcode)
    item, holding, title = row[0], row[1], row[2]
    if item.status == ItemStatus.WITHDRAWN.value:
        raise InvalidInput(
            N_("The copy %(barcode)s was withdrawn from the collection: give it to a librarian."),
            barcode=barcode,
        )
    status = ItemStatus.SHELF if item.status == ItemStatus.MISSING.value else ItemStatus(item.status)
    mark(item, status, ItemAction.USED, user.id, now=now)
    uow.session.flush()
    return item_view(item, holding, title)


def use_counts(uow: UnitOfWork, actor: Actor | None, start: dt.datetime, end: dt.datetime) -> list[UseCount]:
    """Return the publications read in the reading room from `start` to before `end`, most read first."""
    require_count_use(uow, actor)
    uses = func.count(ItemEvent.id)
    rows = uow.session.execute(
        select(Publication.id, Publication.title, uses)
        .join(Holding, Holding.publication_id == Publication.id)
        .join(Item, Item.holding_id == Holding.id)
        .join(ItemEvent, ItemEvent.item_id == Item.id)
        .where(ItemEvent.action == ItemAction.USED.value, ItemEvent.at >= start, ItemEvent.at < end)
        .group_by(Publication.id, Publication.title)
        .order_by(uses.desc(), Publication.title)
    )
    return [UseCount(pid, title, count) for pid, title, count in rows]

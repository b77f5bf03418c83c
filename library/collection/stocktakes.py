"""Stock-taking (stock opname): scan every copy on the shelves of a place, then close and see what is missing.

A session covers one location, or the whole collection. Each barcode counts once however often
it is scanned, and two librarians can scan into the same session at once: a scan is one row
under a unique key, a repeat is told apart by that key, never by reading first. Closing marks
the copies expected on the shelf and not seen as missing, and missing copies that were seen as
back on the shelf, each with a line of history naming the session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from library.collection.items import clean_barcode, mark
from library.errors import InvalidField, InvalidInput, NotFound
from library.i18n import N_
from library.models import (
    Holding,
    Item,
    ItemAction,
    ItemEvent,
    ItemStatus,
    Publication,
    Stocktake,
    StocktakeScan,
    StocktakeStatus,
)
from library.permissions import Actor, require_manage_holdings
from library.uow import UnitOfWork

EXPECTED = (ItemStatus.SHELF.value, ItemStatus.MISSING.value)  # what a shelf check looks for


@dataclass(frozen=True)
class StocktakeCounts:
    """Where a stock-taking stands: copies expected, seen, still missing, from elsewhere, unknown."""

    expected: int
    seen: int
    missing: int
    misplaced: int
    unknown: int


@dataclass(frozen=True)
class StocktakeView:
    """A stock-taking and its running counts."""

    id: int
    location: str
    status: StocktakeStatus
    started_at: dt.datetime
    closed_at: dt.datetime | None
    counts: StocktakeCounts


@dataclass(frozen=True)
class ScanResult:
    """What one scan found: 'seen', 'again' (already counted), 'misplaced' or 'unknown'."""

    barcode: str
    outcome: str
    title: str
    location: str
    stocktake: StocktakeView


def locations(uow: UnitOfWork) -> list[str]:
    """Return every place printed copies are recorded at, in alphabetical order."""
    return sorted(uow.session.scalars(select(Holding.location).distinct()), key=str.casefold)


def list_stocktakes(uow: UnitOfWork, actor: Actor | None) -> list[StocktakeView]:
    """Return every stock-taking, newest first, with its counts; librarians only."""
    require_manage_holdings(uow, actor)
    rows = uow.session.scalars(select(Stocktake).order_by(Stocktake.id.desc()))
    return [_view(uow, row) for row in rows]


def get_stocktake(uow: UnitOfWork, actor: Actor | None, stocktake_id: int) -> StocktakeView:
    """Return one stock-taking with its counts; librarians only."""
    require_manage_holdings(uow, actor)
    return _view(uow, _stocktake(uow, stocktake_id))


def check_start_stocktake(uow: UnitOfWork, actor: Actor | None, location: str) -> StocktakeView:
    """Start a stock-taking of one location ("" the whole collection); one at a time per place."""
    user = require_manage_holdings(uow, actor)
    place = " ".join(str(location).split())
    if place and place not in locations(uow):
        raise InvalidField("location", N_("Choose a location from the list, or the whole collection."))
    running = uow.session.scalar(
        select(Stocktake.id).where(
            Stocktake.location == place, Stocktake.status != StocktakeStatus.CLOSED.value
        )
    )
    if running is not None:
        raise InvalidField(
            "location",
            N_("Stock-taking number %(id)s of this place is not closed yet: carry on with it."),
            id=running,
        )
    row = Stocktake(location=place, started_by=user.id)
    uow.session.add(row)
    uow.session.flush()
    return _view(uow, row)


def check_scan(uow: UnitOfWork, actor: Actor | None, stocktake_id: int, raw_barcode: str) -> ScanResult:
    """Count one scanned barcode in an open stock-taking (once, however often it is scanned)."""
    user = require_manage_holdings(uow, actor)
    barcode = clean_barcode(raw_barcode)
    row = _stocktake(uow, stocktake_id, share=True)
    if row.status != StocktakeStatus.OPEN.value:
        raise InvalidInput(_NOT_OPEN[row.status])
    found = uow.session.execute(
        select(Item, Holding).join(Holding, Holding.id == Item.holding_id).where(Item.barcode == barcode)
    ).first()
    item, holding = (found[0], found[1]) if found else (None, None)
    try:
        with uow.session.begin_nested():
            uow.session.add(
                StocktakeScan(
                    stocktake_id=row.id, barcode=barcode, item_id=item.id if item else None, actor_id=user.id
                )
            )
    except IntegrityError:
        outcome = "again"  # a colleague (or this scanner) counted it already: the key says so
    else:
        outcome = _outcome(row, holding)
        if item is not None:
            uow.session.add(
                ItemEvent(
                    item_id=item.id,
                    action=ItemAction.SEEN.value,
                    status=item.status,
                    actor_id=user.id,
                    stocktake_id=row.id,
                )
            )
    uow.session.flush()
    title = _title(uow, holding) if holding else ""
    return ScanResult(barcode, outcome, title, holding.location if holding else "", _view(uow, row))


def check_pause_stocktake(uow: UnitOfWork, actor: Actor | None, stocktake_id: int) -> StocktakeView:
    """Pause an open stock-taking: scans wait until it is resumed."""
    return _move(uow, actor, stocktake_id, StocktakeStatus.OPEN, StocktakeStatus.PAUSED)


def check_resume_stocktake(uow: UnitOfWork, actor: Actor | None, stocktake_id: int) -> StocktakeView:
    """Resume a paused stock-taking."""
    return _move(uow, actor, stocktake_id, StocktakeStatus.PAUSED, StocktakeStatus.OPEN)


def check_close_stocktake(
    uow: UnitOfWork, actor: Actor | None, stocktake_id: int, *, now: dt.datetime
) -> StocktakeView:
    """Close a stock-taking: unseen copies of the place go missing, missing ones seen go back on the shelf."""
    user = require_manage_holdings(uow, actor)
    row = _stocktake(uow, stocktake_id, lock=True)
    if row.status == StocktakeStatus.CLOSED.value:
        raise InvalidInput(_NOT_OPEN[row.status])
    seen = set(
        uow.session.scalars(
            select(StocktakeScan.item_id).where(
                StocktakeScan.stocktake_id == row.id, StocktakeScan.item_id.is_not(None)
            )
        )
    )
    for item in uow.session.scalars(expected_items(row).with_for_update(of=Item)):
        if item.status == ItemStatus.SHELF.value and item.id not in seen:
            mark(item, ItemStatus.MISSING, ItemAction.STOCKTAKE, user.id, "", row.id, now=now)
    found = select(Item).where(Item.id.in_(seen), Item.status == ItemStatus.MISSING.value)
    for item in uow.session.scalars(found.with_for_update(of=Item)):
        mark(item, ItemStatus.SHELF, ItemAction.STOCKTAKE, user.id, "", row.id, now=now)
    row.status = StocktakeStatus.CLOSED.value
    row.closed_at = now
    row.closed_by = user.id
    uow.session.flush()
    return _view(uow, row)


def expected_items(row: Stocktake) -> Select[Item]:
    """Return the query of the copies this stock-taking expects on the shelf, by barcode."""
    query = select(Item).join(Holding, Holding.id == Item.holding_id).where(Item.status.in_(EXPECTED))
    if row.location:
        query = query.where(Holding.location == row.location)
    return query.order_by(Item.barcode)


_NOT_OPEN = {
    StocktakeStatus.PAUSED.value: N_("This stock-taking is paused: resume it before scanning."),
    StocktakeStatus.CLOSED.value: N_("This stock-taking is closed: start a new one to scan again."),
    StocktakeStatus.OPEN.value: N_("This stock-taking is already open."),
}


def _move(
    uow: UnitOfWork, actor: Actor | None, stocktake_id: int, before: StocktakeStatus, after: StocktakeStatus
) -> StocktakeView:
    """Change a stock-taking's status from `before` to `after`; refuse any other status."""
    require_manage_holdings(uow, actor)
    row = _stocktake(uow, stocktake_id, lock=True)
    if row.status != before.value:
        raise InvalidInput(_NOT_OPEN[row.status])
    row.status = after.value
    uow.session.flush()
    return _view(uow, row)


def _outcome(row: Stocktake, holding: Holding | None) -> str:
    """Name what a first scan found: a copy of the place, one of another place, or no copy at all."""
    if holding is None:
        return "unknown"
    if row.location and holding.location != row.location:
        return "misplaced"
    return "seen"


def _view(uow: UnitOfWork, row: Stocktake) -> StocktakeView:
    """Return a stock-taking with its counts as they are in the database now."""
    expected_ids = expected_items(row).with_only_columns(Item.id).order_by(None).scalar_subquery()
    scans = select(func.count(StocktakeScan.id)).where(StocktakeScan.stocktake_id == row.id)
    expected = uow.session.scalar(expected_items(row).with_only_columns(func.count(Item.id)).order_by(None))
    seen = uow.session.scalar(scans.where(StocktakeScan.item_id.in_(expected_ids)))
    unknown = uow.session.scalar(scans.where(StocktakeScan.item_id.is_(None)))
    misplaced: int | None = 0
    if row.location:
        misplaced = uow.session.scalar(
            scans.join(Item, Item.id == StocktakeScan.item_id)
            .join(Holding, Holding.id == Item.holding_id)
            .where(Holding.location != row.location)
        )
    counts = StocktakeCounts(
        expected or 0, seen or 0, (expected or 0) - (seen or 0), misplaced or 0, unknown or 0
    )
    return StocktakeView(
        row.id, row.location, StocktakeStatus(row.status), row.started_at, row.closed_at, counts
    )


def _stocktake(uow: UnitOfWork, stocktake_id: int, *, lock: bool = False, share: bool = False) -> Stocktake:
    """Return the stock-taking with this number, locked if asked; refuse a number that names none."""
    query = select(Stocktake).where(Stocktake.id == stocktake_id)
    if lock or share:
        query = query.with_for_update(read=share and not lock)
    row = uow.session.scalar(query)
    if row is None:
        raise NotFound(N_("There is no stock-taking number %(id)s."), id=stocktake_id)
    return row


def _title(uow: UnitOfWork, holding: Holding) -> str:
    """Return the title of the holding's publication."""
    return uow.session.scalar(select(Publication.title).where(Publication.id == holding.publication_id)) or ""

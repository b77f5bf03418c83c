"""The delivery ledger as librarians read it: search by person, publication, channel and date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Select, false, or_, select

from library.clock import DEFAULT_TIMEZONE, office_zone
from library.errors import InvalidInput
from library.i18n import N_
from library.ledger.deliveries import DeliveryRecord, _record
from library.models import Delivery, DeliveryChannel, Publication
from library.paging import Page, clamp_page, fetch_page
from library.permissions import Actor, require_read_ledger
from library.uow import UnitOfWork

MAX_PER_PAGE = 200
_MAX_ID_DIGITS = 9  # longer numbers cannot be a publication id (and overflow an SQL integer)


@dataclass(frozen=True)
class LedgerQuery:
    """What a librarian looks for in the ledger; empty fields do not filter."""

    person: str = ""  # part of the recipient's name or email, any case
    publication: str = ""  # part of the title (a scan's too), or the publication's id ("12" or "#12")
    channel: DeliveryChannel | None = None
    date_from: dt.date | None = None  # office days, both ends included
    date_to: dt.date | None = None
    timezone: str = DEFAULT_TIMEZONE  # the office's zone, which decides where a day begins


def check_ledger_query(uow: UnitOfWork, actor: Actor | None, query: LedgerQuery) -> None:
    """Refuse anyone but a librarian, or a date range that ends before it starts."""
    require_read_ledger(uow, actor)
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise InvalidInput(N_("The start date is after the end date."))


def search_ledger(
    uow: UnitOfWork, actor: Actor | None, query: LedgerQuery, page: int = 1, per_page: int = 50
) -> Page[DeliveryRecord]:
    """Return one page of the deliveries matching the query, newest first."""
    check_ledger_query(uow, actor, query)
    page, per_page = clamp_page(page, per_page, MAX_PER_PAGE)
    rows = fetch_page(uow, _statement(_conditions(query)), page, per_page)
    return rows.map(lambda row: _with_identifier(*row))


def ledger_records(uow: UnitOfWork, actor: Actor | None, query: LedgerQuery) -> Iterator[DeliveryRecord]:
    """Yield every delivery matching the query, newest first, fetched in batches (for exports)."""
    check_ledger_query(uow, actor, query)
    return _stream(uow, _statement(_conditions(query)))


def _stream(uow: UnitOfWork, statement: Select[Delivery, str | None, str | None]) -> Iterator[DeliveryRecord]:
    """Yield the rows of a ledger statement without holding them all in memory."""
    for row, title, identifier in uow.session.execute(statement.execution_options(yield_per=500)):
        yield _with_identifier(row, title, identifier)


def _with_identifier(row: Delivery, title: str | None, identifier: str | None) -> DeliveryRecord:
    """Return a ledger row's record with its publication's persistent identifier."""
    return replace(_record(row, title), publication_identifier=identifier or "")


def _statement(conditions: list[ColumnElement[bool]]) -> Select[Delivery, str | None, str | None]:
    """Select matching deliveries with their publication's title and identifier (none for a scan it lacks)."""
    return (
        select(Delivery, Publication.title, Publication.identifier)
        .outerjoin(Publication, Publication.id == Delivery.publication_id)
        .where(*conditions)
        .order_by(Delivery.delivered_at.desc(), Delivery.id.desc())
    )


def _conditions(query: LedgerQuery) -> list[ColumnElement[bool]]:
    """Turn a query into SQL conditions on the delivery and its publication."""
    conditions: list[ColumnElement[bool]] = []
    person = query.person.strip()
    if person:
        conditions.append(
            or_(
                Delivery.recipient_name.icontains(person, autoescape=True),
                Delivery.recipient_email.icontains(person, autoescape=True),
            )
        )
    publication = query.publication.strip()
    number = publication.removeprefix("#")
    if (
        number.isascii() and number.isdigit()
    ):  # a number alone is the publication's id; years in titles need words too
        conditions.append(
            Delivery.publication_id == int(number) if len(number) <= _MAX_ID_DIGITS else false()
        )
    elif publication:
        conditions.append(
            or_(
                Publication.title.icontains(publication, autoescape=True),
                Delivery.title.icontains(publication, autoescape=True),
            )
        )
    if query.channel is not None:
        conditions.append(Delivery.channel == query.channel.value)
    zone = office_zone(query.timezone)
    if query.date_from:
        conditions.append(Delivery.delivered_at >= _start_of(query.date_from, zone))
    if query.date_to:
        conditions.append(Delivery.delivered_at < _start_of(query.date_to + dt.timedelta(days=1), zone))
    return conditions


def _start_of(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """Return the moment an office day begins."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)

"""Offices and their service standards: loaded from data, read by the home page."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalog_data import OfficeRecord, ServiceRecord
from library.errors import NotFound
from library.i18n import N_
from library.models import ComplaintChannel, Office, QueueService, ServiceKind, ServiceStandard
from library.uow import UnitOfWork

# The walk-in queue of each published service: its code, ticket letter and short names.
QUEUES = {
    ServiceKind.LIBRARY: ("P", "Perpustakaan", "Library"),
    ServiceKind.CONSULTATION: ("K", "Konsultasi Statistik", "Statistical consultation"),
}

# The six public headings of a standar pelayanan, in the order offices publish them.
SECTIONS = ("requirements", "procedure_walk_in", "procedure_online", "time_text", "cost", "products")


@dataclass(frozen=True)
class Channel:
    """A complaint channel as shown to the public."""

    kind: str
    label: dict[str, str]
    value: str


@dataclass(frozen=True)
class Service:
    """A service standard as shown to the public."""

    kind: str
    name: dict[str, str]
    sk_number: str
    sections: dict[str, dict[str, list[str]]]
    walk_in_minutes: int | None
    walk_in_clock: str | None
    online_working_days: int | None
    inactivity_close_days: int | None
    inactivity_close_working_days: bool
    inactivity_close_automatic: bool
    channels: tuple[Channel, ...]

    def section(self, name: str, locale: str) -> list[str]:
        """Return a heading's lines in the locale, falling back to Indonesian."""
        texts = self.sections.get(name, {})
        return texts.get(locale) or texts.get("id") or []


@dataclass(frozen=True)
class OfficeProfile:
    """An office and the standards of the services it offers."""

    code: str
    name: dict[str, str]
    province: str
    address: str
    phone: str
    email: str
    website: str
    timezone: str
    services: tuple[Service, ...]


def sync_offices(uow: UnitOfWork, records: Iterable[OfficeRecord]) -> int:
    """Create or update offices and replace their service standards from data.

    A few statements whatever the number of offices: the offices, their standards and their
    queues are read at once, the old standards go in one flush, the new ones and the queues in
    another (a test database loads the offices for nearly every test).
    """
    records = list({record.code: record for record in records}.values())  # a code twice: the last
    bind = uow.session.get_bind()
    uow.after_commit(lambda: _forget_names(bind))  # the names as kept may change
    codes = [record.code for record in records]
    offices = {
        office.code: office
        for office in uow.session.scalars(
            select(Office).where(Office.code.in_(codes)).options(selectinload(Office.services))
        )
    }
    for record in records:
        office = offices.get(record.code)
        if office is None:
            office = offices[record.code] = Office(code=record.code)
            uow.session.add(office)
        for attr in ("name", "name_en", "province", "address", "phone", "email", "website", "timezone"):
            setattr(office, attr, getattr(record, attr))
        office.services.clear()
    uow.session.flush()  # the old standards go before the new ones take their positions
    for record in records:
        offices[record.code].services.extend(
            _service_from(position, service) for position, service in enumerate(record.services)
        )
    _sync_queues(uow, [offices[record.code] for record in records])
    uow.session.flush()
    return len(records)


def load_missing_offices(uow: UnitOfWork, records: Iterable[OfficeRecord]) -> int:
    """Add the offices the database lacks (with their standards); leave those already there alone."""
    present = set(uow.session.scalars(select(Office.code)))
    return sync_offices(uow, [record for record in records if record.code not in present])


def _sync_queues(uow: UnitOfWork, offices: list[Office]) -> None:
    """Give each published service a walk-in queue, keeping the rows (and tickets) already there."""
    ids = [office.id for office in offices]
    existing = {
        (queue.office_id, queue.code): queue
        for queue in uow.session.scalars(select(QueueService).where(QueueService.office_id.in_(ids)))
    }
    for office in offices:
        for position, standard in enumerate(office.services):
            letter, name, name_en = QUEUES[ServiceKind(standard.kind)]
            queue = existing.get((office.id, standard.kind))
            if queue is None:
                queue = QueueService(office=office, code=standard.kind, letter=letter)
                uow.session.add(queue)
            queue.name, queue.name_en, queue.position = name, name_en, position
            queue.standard_kind, queue.active = standard.kind, True


def _service_from(position: int, record: ServiceRecord) -> ServiceStandard:
    """Build a service standard row from a data record."""
    sections = {
        name: {"id": _lines(getattr(record, name)), "en": _lines(getattr(record, name + "_en", []))}
        for name in SECTIONS
    }
    return ServiceStandard(
        position=position,
        kind=record.kind,
        name=record.name,
        name_en=record.name_en,
        sk_number=record.sk_number,
        sections=sections,
        walk_in_minutes=record.walk_in_minutes,
        walk_in_clock=record.walk_in_clock,
        online_working_days=record.online_working_days,
        inactivity_close_days=record.inactivity_close_days,
        inactivity_close_working_days=record.inactivity_close_working_days,
        inactivity_close_automatic=record.inactivity_close_automatic,
        complaint_channels=[
            ComplaintChannel(position=i, kind=c.kind, label=c.label, label_en=c.label_en, value=c.value)
            for i, c in enumerate(record.complaint_channels)
        ],
    )


def _lines(value: str | Iterable[str] | None) -> list[str]:
    """Normalise a text field that may be one string or a list of lines."""
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def get_office_profile(uow: UnitOfWork, code: str) -> OfficeProfile:
    """Return an office with its service standards."""
    office = uow.session.scalar(
        select(Office)
        .where(Office.code == code)
        .options(selectinload(Office.services).selectinload(ServiceStandard.complaint_channels))
    )
    if office is None:
        raise NotFound(N_("No office has the code %(code)s."), code=code)
    return OfficeProfile(
        code=office.code,
        name={"id": office.name, "en": office.name_en or office.name},
        province=office.province,
        address=office.address,
        phone=office.phone,
        email=office.email,
        website=office.website,
        timezone=office.timezone,
        services=tuple(_service_view(s) for s in office.services),
    )


def list_office_names(uow: UnitOfWork) -> list[tuple[str, str]]:
    """Return (code, name) of every office, by code."""
    rows = uow.session.execute(select(Office.code, Office.name).order_by(Office.code))
    return [(code, name) for code, name in rows]


def office_names(uow: UnitOfWork) -> dict[str, dict[str, str]]:
    """Return every office's name in Indonesian and English, by code (the same object while kept).

    Read at most every `NAMES_KEPT_SECONDS` per database and process (every search page shows
    them, and offices are renamed perhaps once in years); `sync_offices` forgets them once it
    commits, so a process that loads offices shows the new names at once, another within that
    time. Not to be changed by the caller.
    """
    bind = uow.session.get_bind()
    now = time.monotonic()
    kept = _kept_names.get(bind)
    if kept is not None and now - kept[0] < NAMES_KEPT_SECONDS:
        return kept[1]
    rows = uow.session.connection().execute(_OFFICE_NAMES)  # plain columns: no ORM result handling
    names = {code: {"id": name, "en": name_en or name} for code, name, name_en in rows}
    _kept_names[bind] = (now, names)
    return names


def _forget_names(bind: object) -> None:
    _kept_names.pop(bind, None)


NAMES_KEPT_SECONDS = 10.0
_OFFICE_NAMES = select(Office.code, Office.name, Office.name_en)
_kept_names: WeakKeyDictionary[object, tuple[float, dict[str, dict[str, str]]]] = WeakKeyDictionary()


def _service_view(row: ServiceStandard) -> Service:
    """Turn a service standard row into its public view."""
    return Service(
        kind=row.kind,
        name={"id": row.name, "en": row.name_en or row.name},
        sk_number=row.sk_number,
        sections=row.sections,
        walk_in_minutes=row.walk_in_minutes,
        walk_in_clock=row.walk_in_clock,
        online_working_days=row.online_working_days,
        inactivity_close_days=row.inactivity_close_days,
        inactivity_close_working_days=row.inactivity_close_working_days,
        inactivity_close_automatic=row.inactivity_close_automatic,
        channels=tuple(
            Channel(kind=c.kind, label={"id": c.label, "en": c.label_en or c.label}, value=c.value)
            for c in row.complaint_channels
        ),
    )

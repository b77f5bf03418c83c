"""A queue day to test with: Kota Metro's queues, its staff, and visitors taking tickets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select

import catalog_data
from library.catalogue.offices import sync_offices
from library.clock import office_today
from library.models import Office, QueueService, Role, Ticket, User, UserRole
from library.uow import UnitOfWork
from tests.visits import walk_in

OFFICE = "1872"  # Kota Metro: library (P, 5 minutes from the guest book) and consultation (K)
OTHER_OFFICE = "1805"  # Tulang Bawang: consultation only
DAY = dt.date(2026, 11, 23)  # a Monday
OPENING = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)  # 08:00 in Kota Metro (WIB)
STAFF = {
    "front": (Role.FRONT_OFFICE,),
    "librarian": (Role.LIBRARIAN,),
    "consultant": (Role.CONSULTANT,),
    "admin": (Role.ADMIN,),
    "reader": (Role.READER,),
}


def at(minutes: float, day: dt.date = DAY) -> dt.datetime:
    """Return the time `minutes` after 08:00 WIB on the day."""
    opening = dt.datetime.combine(day, dt.time(1, 0), tzinfo=dt.UTC)
    return opening + dt.timedelta(minutes=minutes)


def set_up(uow: UnitOfWork) -> None:
    """Load the offices and their queues, and one person of each kind of staff (and a reader)."""
    sync_offices(uow, catalog_data.load_offices())
    for key, roles in STAFF.items():
        user = User(email=f"{key}@bps.go.id", name=key.title(), email_verified=True)
        user.role_rows = [UserRole(role=role.value) for role in roles]
        uow.session.add(user)
    uow.session.flush()


def person(uow: UnitOfWork, key: str) -> User:
    """Return a person made by `set_up`."""
    found = uow.session.scalar(select(User).where(User.email == f"{key}@bps.go.id"))
    assert found is not None
    return found


def service(uow: UnitOfWork, code: str, office: str = OFFICE) -> QueueService:
    """Return an office's queue of a service."""
    found = uow.session.scalar(
        select(QueueService).join(Office).where(Office.code == office, QueueService.code == code)
    )
    assert found is not None
    return found


def arrive(
    uow: UnitOfWork,
    name: str,
    minutes: float,
    services: Iterable[str] = ("library",),
    *,
    office: str = OFFICE,
    day: dt.date = DAY,
    when: dt.datetime | None = None,
) -> list[Ticket]:
    """Record a visitor in the guest book at 08:00 + minutes (or `when`), with a ticket per service."""
    place = uow.session.scalar(select(Office).where(Office.code == office))
    assert place is not None
    if when is None:
        now = at(minutes, day)
    else:
        now, day = when, office_today(place.timezone, when)
    _, tickets = walk_in(uow, name, now, services, office=office, day=day, purpose="Data kemiskinan")
    uow.session.flush()
    return list(tickets.values())

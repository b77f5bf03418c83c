"""Fixtures of the locker tests: the offices, staff, lockers and visits built directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

import catalog_data
from library.accounts.users import check_create_user
from library.catalogue.offices import sync_offices
from library.frontoffice.lockers.admin import check_add_lockers
from library.models import Locker, Office, Role, User
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from tests.visits import walk_in

DAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # 09:00 in Kota Metro (WIB)


def person(uow: UnitOfWork, email: str, roles: Iterable[Role]) -> User:
    """Store a person and return them as a web session holds them: loaded once, then detached."""
    with uow:
        made = check_create_user(
            uow, SYSTEM, email=email, name=email.split("@")[0].title(), roles=roles, now=utcnow()
        )
        uow.commit()
        user = uow.session.get(User, made.id)
        assert user is not None
        _ = user.roles
        uow.session.expunge(user)
        return user


@dataclass
class Desk:
    """Builds the front office's world for a test: lockers and visits, committed."""

    uow: UnitOfWork

    def lockers(self, labels: str = "A-01..A-03", office: str = "1872") -> dict[str, int]:
        """Add lockers to an office and return every locker of it by label."""
        with self.uow as uow:
            check_add_lockers(uow, SYSTEM, office, labels)
            uow.commit()
            rows = uow.session.execute(
                select(Locker.label, Locker.id).join(Office).where(Office.code == office)
            )
            return {label: locker_id for label, locker_id in rows}

    def visit(
        self,
        name: str = "Budi Santoso",
        *,
        office: str = "1872",
        day: dt.date = DAY,
        arrived: dt.datetime = NOW,
        services: Iterable[str] = ("library",),
        left: dt.datetime | None = None,
    ) -> int:
        """Store a visit (as the guest book would) with a ticket per service; return its id."""
        with self.uow as uow:
            visit, _ = walk_in(
                uow,
                name,
                arrived,
                services,
                office=office,
                day=day,
                sex="male",
                left_at=left,
                institution="Universitas Lampung",
            )
            uow.commit()
            return visit.id


@pytest.fixture
def offices(uow: UnitOfWork) -> None:
    """Load the offices (and their queues) into the test's database."""
    with uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()


@pytest.fixture
def desk(uow: UnitOfWork, offices: None) -> Desk:
    """Return the builder of lockers and visits."""
    return Desk(uow)


@pytest.fixture
def front(uow: UnitOfWork, offices: None) -> User:
    """Return a front-office staff member."""
    return person(uow, "dewi@bps.go.id", [Role.FRONT_OFFICE])


@pytest.fixture
def admin(uow: UnitOfWork, offices: None) -> User:
    """Return an administrator."""
    return person(uow, "kepala@bps.go.id", [Role.ADMIN])


@pytest.fixture
def reader(uow: UnitOfWork, offices: None) -> User:
    """Return a reader with no staff role."""
    return person(uow, "siti@example.id", [Role.READER])

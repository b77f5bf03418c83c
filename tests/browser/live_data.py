"""Writing to the live server's database from a browser test: a unit of work of its own, accounts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from library.accounts.users import UserSummary, check_create_user
from library.db import make_engine, make_session_factory
from library.models import Role
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.settings import Settings
from library.uow import UnitOfWork


@contextmanager
def live_uow(live_instance: Path) -> Iterator[UnitOfWork]:
    """Open a unit of work on the live server's database (its engine disposed after)."""
    engine = make_engine(Settings.from_env({}, instance_dir=live_instance).sqlalchemy_url)
    try:
        with UnitOfWork(make_session_factory(engine)) as uow:
            yield uow
    finally:
        engine.dispose()


def add_account(
    uow: UnitOfWork, email: str, name: str, password: str, roles: Iterable[Role] = (Role.READER,)
) -> UserSummary:
    """Create a verified account with a password, as the system would, in an open unit of work."""
    return check_create_user(
        uow, SYSTEM, email=email, name=name, roles=roles, password=password, email_verified=True, now=utcnow()
    )

"""Helpers for library tests that need people: stored by the use case, held as a web session holds them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from library.accounts.users import check_create_user
from library.models import Role, User
from library.permissions import SYSTEM
from library.uow import UnitOfWork


def stored_person(
    uow: UnitOfWork,
    email: str,
    roles: Iterable[Role] = (Role.READER,),
    name: str | None = None,
    *,
    password: str | None = None,
    email_verified: bool = False,
    now: dt.datetime | None = None,
) -> User:
    """Store a person through the use case; return them as a web session holds them (detached)."""
    with uow:
        made = check_create_user(
            uow,
            SYSTEM,
            email=email,
            name=name or email.split("@")[0].title(),
            roles=roles,
            password=password,
            email_verified=email_verified,
            now=now,
        )
        uow.commit()
    return detached(uow, made.id)


def detached(uow: UnitOfWork, user_id: int) -> User:
    """Load a person with their roles and let go of them, as a web session holds them between requests."""
    with uow:
        user = uow.session.get(User, user_id)
        assert user is not None
        _ = user.roles
        uow.session.expunge(user)
        return user

"""People: creating accounts and giving staff their roles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from library.errors import InvalidInput
from library.i18n import N_
from library.models import Role, User, UserRole
from library.passwords import hash_password
from library.uow import UnitOfWork

# Deliberately loose: the verification email is the real check of an address.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class UserSummary:
    """A person as staff lists show them."""

    id: int
    email: str
    name: str
    roles: frozenset[Role]
    email_verified: bool


def parse_roles(names: Iterable[str]) -> frozenset[Role]:
    """Turn role names into roles, refusing unknown ones."""
    roles = set()
    for name in names:
        try:
            roles.add(Role(name.strip().lower()))
        except ValueError:
            raise InvalidInput(
                N_("Unknown role '%(role)s'; choose from %(choices)s."),
                role=name,
                choices=", ".join(r.value for r in Role),
            ) from None
    return frozenset(roles)


def check_create_user(
    uow: UnitOfWork,
    actor: User | None,
    *,
    email: str,
    name: str,
    roles: Iterable[Role] = (Role.READER,),
    password: str | None = None,
    email_verified: bool = False,
) -> UserSummary:
    """Validate and create an account; only admins (or the CLI, actor None) give staff roles."""
    email = email.strip().lower()
    name = " ".join(name.split())
    roles = frozenset(roles) or frozenset({Role.READER})
    if not _EMAIL.fullmatch(email):
        raise InvalidInput(N_("'%(email)s' is not an email address."), email=email)
    if not name:
        raise InvalidInput(N_("A name is required."))
    if actor is not None and roles != {Role.READER} and not actor.has_role(Role.ADMIN):
        raise InvalidInput(N_("Only an administrator can give staff roles."))
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("A password needs at least %(n)s characters."), n=MIN_PASSWORD_LENGTH
        )
    taken = uow.session.scalar(select(User.id).where(func.lower(User.email) == email))
    if taken is not None:
        raise InvalidInput(N_("An account with the email %(email)s already exists."), email=email)
    user = User(
        email=email,
        name=name,
        email_verified=email_verified,
        password_hash=hash_password(password) if password else None,
    )
    user.role_rows = [UserRole(role=r.value) for r in sorted(roles)]
    uow.session.add(user)
    uow.session.flush()
    return UserSummary(user.id, user.email, user.name, user.roles, user.email_verified)

"""People: creating accounts, checking their details, and administering staff roles."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from library.accounts.occupations import is_occupation
from library.accounts.passwords import hash_password
from library.errors import InvalidField, InvalidInput, NotFound
from library.i18n import N_
from library.models import STAFF_ROLES, Role, User, UserRole
from library.paging import Page, clamp_page, fetch_page
from library.permissions import SYSTEM, Actor, require_give_staff_roles, require_manage_users
from library.text import clean_text
from library.uow import UnitOfWork

# Deliberately loose: the verification email is the real check of an address.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200  # hashing megabytes of "password" is a denial of service
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class UserSummary:
    """A person as staff lists show them."""

    id: int
    email: str
    name: str
    roles: frozenset[Role]
    email_verified: bool
    institution: str = ""
    occupation: str | None = None
    active: bool = True
    created_at: dt.datetime | None = None
    last_login_at: dt.datetime | None = None

    @classmethod
    def of(cls, user: User) -> UserSummary:
        """Summarise a stored person."""
        return cls(
            user.id,
            user.email,
            user.name,
            user.roles,
            user.email_verified,
            institution=user.institution,
            occupation=user.occupation,
            active=user.active,
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )


def normalise_email(email: str) -> str:
    """Return the email as it is stored and compared: trimmed, lower case."""
    return email.strip().lower()


def clean_email(email: str, field: str = "email") -> str:
    """Return the normalised email, or refuse one that is not an address."""
    email = normalise_email(email)
    if not email:
        raise InvalidField(field, N_("An email address is required."))
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(email):
        raise InvalidField(field, N_("'%(email)s' is not an email address."), email=email)
    return email


def check_text_field(value: str, field: str, required_message: str, max_length: int = MAX_NAME_LENGTH) -> str:
    """Return the field's text on one line with its spaces tidied, or refuse it when empty or too long."""
    value = " ".join(clean_text(value).split())
    if not value:
        raise InvalidField(field, required_message)
    if len(value) > max_length:
        raise InvalidField(field, N_("At most %(n)s characters, please."), n=max_length)
    return value


def clean_name(name: str) -> str:
    """Return the tidied name, or refuse an empty or overlong one."""
    return check_text_field(name, "name", N_("A name is required."))


def clean_occupation(code: str) -> str:
    """Return the occupation code, or refuse one that is not a category."""
    if not is_occupation(code):
        raise InvalidField("occupation", N_("Choose an occupation from the list."))
    return code


def check_password_policy(password: str, email: str = "", field: str = "password") -> str:
    """Return the password if it is long enough and not the email address itself."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidField(field, N_("A password needs at least %(n)s characters."), n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidField(field, N_("A password can have at most %(n)s characters."), n=MAX_PASSWORD_LENGTH)
    if email and password.strip().lower() == normalise_email(email):
        raise InvalidField(field, N_("Your password cannot be your email address."))
    return password


def find_by_email(uow: UnitOfWork, email: str) -> User | None:
    """Return the person with the email (in any letter case), if any."""
    return uow.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


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
    actor: Actor | None,
    *,
    email: str,
    name: str,
    roles: Iterable[Role] = (Role.READER,),
    password: str | None = None,
    email_verified: bool = False,
    now: dt.datetime,
) -> UserSummary:
    """Validate and create an account; only administrators (or the system) give staff roles."""
    email = clean_email(email)
    name = clean_name(name)
    roles = frozenset(roles) or frozenset({Role.READER})
    if roles != {Role.READER}:
        require_give_staff_roles(uow, actor)
    if password is not None:
        check_password_policy(password, email)
    if find_by_email(uow, email) is not None:
        raise InvalidField("email", N_("An account with the email %(email)s already exists."), email=email)
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password) if password else None,
        password_changed_at=now if password else None,
    )
    if email_verified:
        user.mark_email_verified(now)
    user.role_rows = [UserRole(role=r.value) for r in sorted(roles)]
    uow.session.add(user)
    uow.session.flush()
    return UserSummary.of(user)


def search_words(query: str) -> str:
    """Return search words as the list of people looks for them: spaces tidied, not overlong."""
    return " ".join(query.split())[:MAX_NAME_LENGTH]


def list_users(
    uow: UnitOfWork, actor: Actor | None, *, query: str = "", page: int = 1, per_page: int = 20
) -> Page[UserSummary]:
    """List people whose name or email contains the query, staff first, a page at a time."""
    _manager(uow, actor)
    query = search_words(query)
    page, per_page = clamp_page(page, per_page, MAX_PER_PAGE)
    where = []
    if query:
        pattern = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(
            or_(
                func.lower(User.name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    is_staff = (
        select(func.count())
        .where(UserRole.user_id == User.id, UserRole.role.in_([r.value for r in STAFF_ROLES]))
        .scalar_subquery()
    )
    statement = select(User).where(*where).order_by((is_staff > 0).desc(), func.lower(User.name), User.id)
    return fetch_page(uow, statement, page, per_page).map(UserSummary.of)


def get_user(uow: UnitOfWork, actor: Actor | None, user_id: int) -> UserSummary:
    """Return one person for the administration page."""
    require_manage_users(uow, actor)
    return UserSummary.of(_get(uow, user_id))


def check_set_staff_roles(
    uow: UnitOfWork, actor: Actor | None, user_id: int, staff_roles: Iterable[Role]
) -> UserSummary:
    """Give a person exactly these staff roles (their reader role is kept)."""
    admin = _manager(uow, actor)
    wanted = frozenset(staff_roles)
    if not wanted <= set(STAFF_ROLES):
        raise InvalidInput(N_("Only staff roles can be given here."))
    user = _get(uow, user_id)
    if admin is not None and user.id == admin.id and Role.ADMIN not in wanted:
        raise InvalidInput(N_("You cannot remove your own administrator role; ask another administrator."))
    roles = (user.roles & {Role.READER}) | wanted
    user.set_roles(roles or frozenset({Role.READER}))
    uow.session.flush()
    return UserSummary.of(user)


def check_set_active(uow: UnitOfWork, actor: Actor | None, user_id: int, active: bool) -> UserSummary:
    """Deactivate a person (signed out at once, cannot sign in) or reactivate them."""
    admin = _manager(uow, actor)
    user = _get(uow, user_id)
    if admin is not None and user.id == admin.id and not active:
        raise InvalidInput(N_("You cannot deactivate your own account."))
    if user.active != active:
        user.active = active
        user.session_version += 1
    uow.session.flush()
    return UserSummary.of(user)


def _manager(uow: UnitOfWork, actor: Actor | None) -> User | None:
    """Return the administrator managing accounts, or None for the installation itself (the command line)."""
    return None if actor is SYSTEM else require_manage_users(uow, actor)


def _get(uow: UnitOfWork, user_id: int) -> User:
    """Return the person with the id, or refuse."""
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFound(N_("There is no account number %(id)s."), id=user_id)
    return user


def staff_addresses(uow: UnitOfWork, roles: Iterable[Role]) -> list[str]:
    """Return the addresses of the active accounts holding any of the roles (administrators too), sorted.

    Who is told when work with a clock arrives (a consultation, a complaint, a request to decide).
    """
    wanted = {role.value for role in roles} | {Role.ADMIN.value}
    return list(
        uow.session.scalars(
            select(User.email)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role.in_(wanted), User.active.is_(True))
            .distinct()
            .order_by(User.email)
        )
    )

"""The person behind a request, read once: by the session loader, then by the permission questions.

A process keeps the object it last made of each person and hands it out again while their row
and roles are as the database holds them (`read_person`); a permission question asked within
the same request takes that person as read, and anyone else is read again (`as_read`, through
`library.permissions.stored`), so a role taken away counts from the next request on.
"""

from __future__ import annotations

import time
from weakref import WeakKeyDictionary

from sqlalchemy import bindparam, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import joinedload

from library.models import User, UserRole
from library.permissions import Actor, stored
from library.uow import UnitOfWork

JUST_READ_SECONDS = 2.0  # a person read this recently is as the database holds them (a request's span)
_read_at: WeakKeyDictionary[User, float] = WeakKeyDictionary()  # when each person object was read
KEPT_PEOPLE = 1024  # people whose last-read object a process keeps (a few MB; then it starts again)
_PERSON_KEYS = [prop.key for prop in sa_inspect(User).column_attrs]
_PERSON_ROW = (
    select(*(getattr(User, key) for key in _PERSON_KEYS), UserRole.role)
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .where(User.id == bindparam("id"))
)
_persons: dict[int, tuple[tuple[object, ...], User]] = {}


def read_person(uow: UnitOfWork, user_id: int) -> User | None:
    """Return a person with their roles as the database holds them now, detached and read-only:
    the actor of one request (the web's session loader).

    Each call reads the person's row and roles in one plain query; while they equal what the
    kept object of this person was made of, that object is returned, else the person is read
    anew through the ORM and kept (the ORM's read and the object's making were most of a
    signed-in page's cost of knowing who asks). A permission question asked of them within the
    same request (`as_read`) needs no second read.
    """
    rows = uow.session.connection().execute(_PERSON_ROW, {"id": user_id}).all()
    if not rows:
        _persons.pop(user_id, None)
        return None
    seen = (*rows[0][:-1], *sorted(row[-1] for row in rows if row[-1] is not None))
    kept = _persons.get(user_id)
    if kept is not None and kept[0] == seen:
        user = kept[1]
    else:
        read = uow.session.get(User, user_id, populate_existing=True, options=[joinedload(User.role_rows)])
        if read is None:
            return None
        user = read
        uow.session.expunge(user)
        if len(_persons) >= KEPT_PEOPLE:
            _persons.clear()
        # What the object holds, in the plain query's terms: the object is only ever handed out
        # for a row equal to it, even if the person changed between the two reads.
        _persons[user_id] = ((*(getattr(user, key) for key in _PERSON_KEYS), *sorted(user.roles)), user)
    _read_at[user] = time.monotonic()
    return user


def as_read(uow: UnitOfWork, actor: Actor | None) -> Actor | None:
    """Return the actor for a permission question only: as read for this request if that was a moment ago.

    A search page asks whether its reader is staff on every request; the person was read from
    the database when the request began (`read_person`), so a second read in the same request
    (a third of a staff search page's database time) tells nothing new. Anything older is read
    again (`stored`). Never for a use case that changes the person or locks their row.
    """
    if isinstance(actor, User):
        read_at = _read_at.get(actor)
        if read_at is not None and time.monotonic() - read_at < JUST_READ_SECONDS:
            return actor
    return stored(uow, actor)

"""The checks of a softcopy request that read what is already recorded: the visit it is asked
from, the requests it would repeat, and how every problem of a form is gathered for one answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select

from library.errors import InvalidFields, InvalidInput, NotAllowed, PustakaError
from library.i18n import N_
from library.models import OPEN_STATUSES, Office, RequestStatus, SoftcopyRequest, User, Visit
from library.uow import UnitOfWork

T = TypeVar("T")


def gather(
    problems: list[PustakaError], check: Callable[..., T], *args: object, **kwargs: object
) -> T | None:
    """Run one check; keep its problems (every one of them) for the form instead of stopping."""
    try:
        return check(*args, **kwargs)
    except InvalidFields as many:
        problems.extend(many.problems)
    except (InvalidInput, NotAllowed) as problem:
        problems.append(problem)
    return None


def check_visit(uow: UnitOfWork, user: User, visit_id: int) -> str:
    """Refuse a request for a visit that is not the person's, or that has ended; return the visit's office."""
    visit = uow.session.get(Visit, visit_id)
    if visit is None or visit.user_id != user.id:
        raise NotAllowed(N_("This visit is not yours; ask for a softcopy from your own session."))
    if visit.left_at is not None:
        raise NotAllowed(N_("Your visit has ended; ask for softcopies online from your own device."))
    return uow.session.get_one(Office, visit.office_id).code


def check_duplicate(
    uow: UnitOfWork, user_id: int, publication_id: int, ranges: str, now: dt.datetime
) -> None:
    """Refuse a request that repeats one still open or still downloadable."""
    rows = uow.session.scalars(
        select(SoftcopyRequest).where(
            SoftcopyRequest.user_id == user_id,
            SoftcopyRequest.publication_id == publication_id,
            SoftcopyRequest.page_ranges == ranges,
        )
    ).all()
    for row in rows:
        status = RequestStatus(row.status)
        usable = (
            status is RequestStatus.READY
            and row.expires_at is not None
            and row.expires_at > now
            and row.downloads < row.download_cap
        )
        if status in OPEN_STATUSES or usable:
            raise InvalidInput(
                N_("You already asked for this in request %(number)s; see 'My requests'."),
                number=row.number,
            )

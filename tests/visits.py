"""A walk-in visit stored as the guest book would store it, for tests in every tier.

The guest book's own use case checks a person's pace and answers; tests that need a visitor
already there (at a locker, a terminal, a scan desk) store one directly, the same way each time.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from sqlalchemy import select

from library.frontoffice.queue.numbering import issue_ticket
from library.models import IdentityCheck, Office, QueueService, Ticket, Visit
from library.uow import UnitOfWork

WIB = dt.timezone(dt.timedelta(hours=7))  # the demo offices' time zone


def walk_in(
    uow: UnitOfWork,
    name: str,
    at: dt.datetime,
    services: Iterable[str] = ("library",),
    *,
    office: str = "1872",
    day: dt.date | None = None,
    user_id: int | None = None,
    **answers: object,
) -> tuple[Visit, dict[str, Ticket]]:
    """Store a visit arriving `at` with a ticket per service, in the open unit of work (not committed).

    A visit given an account (`user_id`) is one whose ID card the front office checked.
    `answers` are the guest book's other fields (email, institution, sex, left_at ...).
    """
    place = uow.session.scalar(select(Office).where(Office.code == office))
    assert place is not None, office
    fields: dict[str, object] = {
        "sex": "female",
        "age_band": "26_35",
        "occupation": "student",
        "education": "bachelor",
        "identity_check": (IdentityCheck.ID_CARD if user_id is not None else IdentityCheck.DECLARED).value,
    }
    fields.update(answers)
    visit = Visit(
        office=place,
        user_id=user_id,
        status_token=secrets.token_urlsafe(16),
        name=name,
        day=day or at.astimezone(WIB).date(),
        arrived_at=at,
        **fields,
    )
    uow.session.add(visit)
    tickets = {}
    for code in services:
        service = uow.session.scalar(
            select(QueueService).where(QueueService.office_id == place.id, QueueService.code == code)
        )
        assert service is not None, code
        tickets[code] = issue_ticket(uow, visit, service, at)
    return visit, tickets

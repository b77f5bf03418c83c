"""Staff mark a ticket as priority, or unmark it: a visitor who did not declare, or a declaration corrected.

Only an open ticket of today's queue changes (waiting, called or being served), by staff who may
work its queue; the ticket keeps who changed it last (`Ticket.priority_set_by_id`). A change
before the call moves the ticket in the calling order at once (`priority.call_order`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from library.errors import InvalidField
from library.frontoffice.queue.actions import OPEN
from library.frontoffice.queue.at_work import QueueError, QueueRef, ticket_at_work
from library.i18n import N_
from library.models import Ticket
from library.permissions import Actor
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
NOT_OPEN = N_("Ticket %(code)s is closed already: its priority no longer changes anything.")
NO_SUCH_GROUP = N_("Choose a priority group from the list.")


def check_mark_priority(
    uow: UnitOfWork,
    actor: Actor | None,
    ticket_id: int,
    now: dt.datetime,
    *,
    group: str,
    groups: Sequence[str],
    at: QueueRef | None = None,
) -> Ticket:
    """Set an open ticket's priority group (one of the office's `groups`), or clear it with ""."""
    ticket, staff = ticket_at_work(uow, actor, ticket_id, now, at)
    code = (group or "").strip()
    if code and code not in groups:
        raise InvalidField("priority", NO_SUCH_GROUP)
    if ticket.status not in OPEN:
        raise QueueError(NOT_OPEN, code=ticket.code)
    log.info(
        "Ticket %s (%s) priority %r -> %r by staff %s",
        ticket.code,
        ticket.id,
        ticket.priority,
        code,
        staff.id,
    )
    ticket.priority = code
    ticket.priority_set_by_id = staff.id
    uow.session.flush()
    return ticket

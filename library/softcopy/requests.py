"""Softcopy requests: an online user asks for a stamped copy, and the access policy decides.

Open and registered items are approved at once (every requester has a verified email),
restricted items wait for a librarian, embargoed items wait for their release date. Each
request has a number, a status history and a service-level clock in working days.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import select

from library.catalogue.read_models import PublicationDetail, get_publication
from library.errors import InvalidInput, NotFound
from library.i18n import N_
from library.job_queue import JobQueue
from library.mail import Mailer
from library.models import (
    RequestStatus,
    SoftcopyRequest,
    User,
)
from library.permissions import Actor, may_see_request, require_signed_in
from library.softcopy.mail import Waiting, request_waiting
from library.softcopy.request_checks import (
    Checked,
    RequestRules,
    SoftcopyRequestDetails,
    check_request,
    made_counts,
    today_at_office,
)
from library.text import clean_text
from library.uow import UnitOfWork


def check_submit_request(
    uow: UnitOfWork,
    actor: Actor | None,
    form: SoftcopyRequestDetails,
    rules: RequestRules,
    queue: JobQueue,
    now: dt.datetime,
    client_address: str = "",
    *,
    mailer: Mailer | None = None,
    request_link: Callable[[str], str] | None = None,
) -> str:
    """Check the form and the policy, record the request, and return its number.

    Every problem with the form and the policy is reported at once (`InvalidFields`), so a
    person fixes them all in one round. A request that waits (for a librarian or for the
    release date) is acknowledged by email through `mailer`, with a link made by `request_link`.
    """
    # Locked for the rest of the transaction: two clicks at once cannot both pass the quota
    # and duplicate checks (PostgreSQL; SQLite has one writer at a time anyway).
    user = require_signed_in(uow, actor, N_("Sign in to ask for a softcopy."), lock=True)
    form = replace(form, tables=clean_text(form.tables), intended_use=clean_text(form.intended_use))
    detail = get_publication(uow, form.publication_id, today=today_at_office(now, rules))
    if not detail.page_count:
        raise InvalidInput(N_("This publication has no digital file yet, so no softcopy can be made."))
    checked = check_request(uow, user, form, detail, rules, now)
    row = _record_request(uow, user, form, checked, rules, now, client_address)
    if checked.status is RequestStatus.APPROVED:
        request_id = row.id
        uow.after_commit(lambda: queue.deliver(request_id))
    else:
        _announce_waiting(uow, user, row, detail, queue, rules, mailer=mailer, request_link=request_link)
    return row.number


def _record_request(
    uow: UnitOfWork,
    user: User,
    form: SoftcopyRequestDetails,
    checked: Checked,
    rules: RequestRules,
    now: dt.datetime,
    client_address: str,
) -> SoftcopyRequest:
    """Add the request in its first status, numbered by its id and the office's day."""
    row = SoftcopyRequest(
        number=f"new-{secrets.token_hex(8)}",
        user_id=user.id,
        publication_id=form.publication_id,
        office_code=checked.serving,
        scope=checked.scope.value,
        page_ranges=checked.ranges,
        tables_wanted=form.tables,
        purpose=form.purpose,
        intended_use=form.intended_use,
        terms_accepted_at=now,
        client_address=client_address[:64],
        status=checked.status.value,
        submitted_at=now,
        due_at=rules.calendar.add_working_days(checked.clock_start, rules.sla_working_days),
        download_cap=rules.download_cap,
        visit_id=form.visit_id,
    )
    row.move_to(checked.status, now, user.id)
    if checked.status is RequestStatus.APPROVED:
        row.decided_at = now
    uow.session.add(row)
    uow.session.flush()
    row.number = request_number(row.id, today_at_office(now, rules))
    uow.session.flush()
    return row


def _announce_waiting(
    uow: UnitOfWork,
    user: User,
    row: SoftcopyRequest,
    detail: PublicationDetail,
    queue: JobQueue,
    rules: RequestRules,
    *,
    mailer: Mailer | None,
    request_link: Callable[[str], str] | None,
) -> None:
    """After commit, alert the desk to a request for review and acknowledge a waiting one by email."""
    request_id = row.id
    if row.status == RequestStatus.REVIEW.value:
        uow.after_commit(lambda: queue.alert_desk(request_id))
    if mailer is None or request_link is None:
        return
    waiting = Waiting(
        number=row.number,
        title=detail.summary.title,
        pages=row.page_ranges,
        embargo_until=detail.summary.embargo_until if row.status == RequestStatus.EMBARGO.value else None,
        due_at=row.due_at,
        link=request_link(row.number),
    )
    mailer.send_after_commit(uow, request_waiting(user.email, user.name, waiting, rules.calendar.timezone))


@dataclass(frozen=True)
class Allowance:
    """What a person may still ask for, shown before they fill in the form."""

    verified: bool
    made_today: int
    made_this_month: int
    daily_quota: int
    monthly_quota: int

    @property
    def left(self) -> int:
        """Return how many more requests the quotas allow now."""
        return max(0, min(self.daily_quota - self.made_today, self.monthly_quota - self.made_this_month))


def request_allowance(
    uow: UnitOfWork, actor: Actor | None, rules: RequestRules, now: dt.datetime, *, walk_in: bool = False
) -> Allowance:
    """Return the person's verification and quota standing, for the form to state up front."""
    user = require_signed_in(uow, actor, N_("Sign in to ask for a softcopy."))
    today, month = made_counts(uow, user.id, now, rules)
    return Allowance(
        verified=user.email_verified or walk_in,
        made_today=today,
        made_this_month=month,
        daily_quota=rules.daily_quota,
        monthly_quota=rules.monthly_quota,
    )


@dataclass(frozen=True)
class RequestPage:
    """What the request form shows around its fields: the publication and the person's allowance."""

    publication: PublicationDetail
    allowance: Allowance


def request_page(
    uow: UnitOfWork,
    actor: Actor | None,
    publication_id: int,
    rules: RequestRules,
    now: dt.datetime,
    *,
    today: dt.date,
    walk_in: bool = False,
) -> RequestPage:
    """Return the publication a person asks a softcopy of and what they may still ask for."""
    publication = get_publication(uow, publication_id, today=today)
    return RequestPage(publication, request_allowance(uow, actor, rules, now, walk_in=walk_in))


def request_number(request_id: int, day: dt.date) -> str:
    """Return the number people quote for a request: PS-YYYYMMDD-NNNNN."""
    return f"PS-{day:%Y%m%d}-{request_id:05d}"


def find_request(uow: UnitOfWork, number: str) -> SoftcopyRequest:
    """Return the request with this number."""
    row = uow.session.scalar(select(SoftcopyRequest).where(SoftcopyRequest.number == number.strip()))
    if row is None:
        raise NotFound(N_("There is no request %(number)s."), number=number)
    return row


def own_request(uow: UnitOfWork, actor: Actor | None, number: str) -> SoftcopyRequest:
    """Return a request its owner (or a librarian) may see; to anyone else it does not exist."""
    person = require_signed_in(uow, actor, N_("Sign in to see your requests."))
    row = find_request(uow, number)
    if not may_see_request(person, row.user_id):
        raise NotFound(N_("There is no request %(number)s."), number=number)
    return row

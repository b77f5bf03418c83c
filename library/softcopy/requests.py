"""Softcopy requests: an online user asks for a stamped copy, and the access policy decides.

Open and registered items are approved at once (every requester has a verified email),
restricted items wait for a librarian, embargoed items wait for their release date. Each
request has a number, a status history and a service-level clock in working days.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from sqlalchemy import func, select

from library.catalogue import PublicationDetail, get_publication
from library.clock import office_zone
from library.errors import InvalidField, InvalidFields, InvalidInput, NotAllowed, NotFound, PustakaError
from library.i18n import N_
from library.job_queue import JobQueue
from library.mail import Mailer
from library.models import (
    AccessLevel,
    RequestScope,
    RequestStatus,
    SoftcopyRequest,
    User,
)
from library.permissions import Actor, may_see_request, require_signed_in
from library.softcopy.mail import Waiting, request_waiting
from library.softcopy.page_ranges import parse_page_ranges
from library.softcopy.purposes import purpose
from library.softcopy.request_checks import check_duplicate, check_visit, gather
from library.text import clean_text
from library.uow import UnitOfWork
from library.working_days import OPENING, Calendar

MAX_TEXT = 2000
MIN_USE = 10
T = TypeVar("T")


@dataclass(frozen=True)
class RequestRules:
    """The office's settings that shape requests."""

    daily_quota: int = 5
    monthly_quota: int = 30
    sla_working_days: int = 3
    link_days: int = 7
    download_cap: int = 3
    calendar: Calendar = field(default_factory=Calendar)
    office_code: str = ""  # the office this site serves: online requests are its work ("": the issuer's)


@dataclass(frozen=True)
class SoftcopyRequestDetails:
    """What the request form sends, as typed."""

    publication_id: int
    scope: str = RequestScope.WHOLE.value
    pages: str = ""
    tables: str = ""
    purpose: str = ""
    intended_use: str = ""
    agreed: bool = False
    visit_id: int | None = None  # asked at a library terminal during this walk-in visit


def decide(level: AccessLevel, actor: User, *, walk_in: bool = False) -> RequestStatus:
    """Return the status a new request starts in, or refuse it, by the item's access level.

    Every online request needs a verified email address, not only those for "registered"
    items: the service standard asks for an active address, and the copy is announced there.
    A walk-in visitor asking at a library terminal (`walk_in`) was identified at the front
    office; their copy waits in their account, which only the address's owner can open.
    """
    if not actor.email_verified and not walk_in:
        raise NotAllowed(
            N_(
                "Verify your email address before asking for a softcopy: open the link we "
                "emailed you, or ask for a new one on your profile page."
            )
        )
    return {
        AccessLevel.OPEN: RequestStatus.APPROVED,
        AccessLevel.REGISTERED: RequestStatus.APPROVED,
        AccessLevel.RESTRICTED: RequestStatus.REVIEW,
        AccessLevel.EMBARGOED: RequestStatus.EMBARGO,
    }[level]


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
    detail = get_publication(uow, form.publication_id, today=_today(now, rules))
    if not detail.page_count:
        raise InvalidInput(N_("This publication has no digital file yet, so no softcopy can be made."))
    # The office that serves the request counts it, whatever office issued the publication: the
    # visit's office for a request made at a terminal, else the office whose site this is.
    serving = rules.office_code or detail.summary.office_code
    if form.visit_id is not None:
        serving = check_visit(uow, user, form.visit_id)
    checked = _check_form_and_policy(uow, user, form, detail, rules, now)
    check_duplicate(uow, user.id, form.publication_id, checked.ranges, now)
    row = _record_request(uow, user, form, replace(checked, serving=serving), rules, now, client_address)
    if checked.status is RequestStatus.APPROVED:
        request_id = row.id
        uow.after_commit(lambda: queue.deliver(request_id))
    else:
        _announce_waiting(uow, user, row, detail, queue, rules, mailer=mailer, request_link=request_link)
    return row.number


@dataclass(frozen=True)
class _Checked:
    """What a request that passed its checks asks for, where it starts and who serves it."""

    scope: RequestScope
    ranges: str
    status: RequestStatus
    clock_start: dt.datetime  # when its working days start counting
    serving: str = ""  # the office that serves it


def _today(now: dt.datetime, rules: RequestRules) -> dt.date:
    """Return the office's date at `now`."""
    return now.astimezone(office_zone(rules.calendar.timezone)).date()


def _check_form_and_policy(
    uow: UnitOfWork,
    user: User,
    form: SoftcopyRequestDetails,
    detail: PublicationDetail,
    rules: RequestRules,
    now: dt.datetime,
) -> _Checked:
    """Check the form, the access policy and the quotas, gathering every problem into one refusal."""
    problems: list[PustakaError] = []
    wanted = gather(problems, _scope, form, detail.page_count)
    for check in (_check_purpose, _check_use, _check_agreed):
        gather(problems, check, form)
    status = gather(problems, decide, detail.summary.access_level, user, walk_in=form.visit_id is not None)
    gather(problems, _check_quota, uow, user.id, now, rules)
    if problems or wanted is None or status is None:
        raise problems[0] if len(problems) == 1 else InvalidFields(problems)
    clock_start = now
    if status is RequestStatus.EMBARGO:  # its clock starts when the office opens on the release day
        release = detail.summary.embargo_until or _today(now, rules)
        clock_start = dt.datetime.combine(release, OPENING, office_zone(rules.calendar.timezone))
    return _Checked(*wanted, status, clock_start)


def _record_request(
    uow: UnitOfWork,
    user: User,
    form: SoftcopyRequestDetails,
    checked: _Checked,
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
    row.number = request_number(row.id, _today(now, rules))
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
    today, month = _made(uow, user.id, now, rules)
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


def _scope(form: SoftcopyRequestDetails, page_count: int) -> tuple[RequestScope, str]:
    """Return the scope and the tidy page ranges of the form; pages typed are never dropped."""
    try:
        scope = RequestScope(form.scope)
    except ValueError:
        raise InvalidField("scope", N_("Choose the whole publication or some pages.")) from None
    typed = form.pages.strip()
    if len(typed) > MAX_TEXT:
        raise InvalidField("pages", N_("Write at most %(n)s characters."), n=MAX_TEXT)
    if scope is RequestScope.WHOLE:
        if typed:
            # The person wrote pages: a whole copy would silently drop them, and guessing
            # they meant only those pages could drop their choice of scope. Ask instead.
            raise InvalidField(
                "pages",
                N_(
                    "You chose the whole publication but also wrote pages (%(pages)s). "
                    "Choose “Some pages only” to get just those pages, or empty the pages box."
                ),
                pages=typed[:60],
            )
        return scope, ""
    ranges, _ = parse_page_ranges(form.pages, page_count, field="pages")
    return scope, ranges


def _check_purpose(form: SoftcopyRequestDetails) -> None:
    """Refuse a form without a known purpose."""
    if purpose(form.purpose) is None:
        raise InvalidField("purpose", N_("Choose the purpose of your request."))


def _check_use(form: SoftcopyRequestDetails) -> None:
    """Refuse an intended use that is too short or too long, or tables described at too much length."""
    use = form.intended_use.strip()
    if len(use) < MIN_USE:
        raise InvalidField(
            "intended_use",
            N_("Tell us in a sentence how you will use the data (at least %(n)s characters)."),
            n=MIN_USE,
        )
    if len(use) > MAX_TEXT:
        raise InvalidField("intended_use", N_("Write at most %(n)s characters."), n=MAX_TEXT)
    if len(form.tables) > MAX_TEXT:
        raise InvalidField("tables", N_("Write at most %(n)s characters."), n=MAX_TEXT)


def _check_agreed(form: SoftcopyRequestDetails) -> None:
    """Refuse a form whose terms of use are not agreed to."""
    if not form.agreed:
        raise InvalidField("agreed", N_("Agree to the terms of use to send the request."))


def _made(uow: UnitOfWork, user_id: int, now: dt.datetime, rules: RequestRules) -> tuple[int, int]:
    """Return how many requests the person made today and this month (the office's calendar)."""
    zone = office_zone(rules.calendar.timezone)
    local = now.astimezone(zone)
    day_start = dt.datetime.combine(local.date(), dt.time(), zone)
    month_start = day_start.replace(day=1)
    made = func.count(SoftcopyRequest.id)
    mine = SoftcopyRequest.user_id == user_id
    today = uow.session.scalar(select(made).where(mine, SoftcopyRequest.submitted_at >= day_start)) or 0
    month = uow.session.scalar(select(made).where(mine, SoftcopyRequest.submitted_at >= month_start)) or 0
    return today, month


def _check_quota(uow: UnitOfWork, user_id: int, now: dt.datetime, rules: RequestRules) -> None:
    """Refuse a request past the person's daily or monthly quota."""
    today, month = _made(uow, user_id, now, rules)
    if today >= rules.daily_quota:
        raise InvalidInput(
            N_("You have made %(n)s requests today, the most allowed in a day. You can ask again tomorrow."),
            n=today,
        )
    if month >= rules.monthly_quota:
        raise InvalidInput(
            N_(
                "You have made %(n)s requests this month, the most allowed in a month. "
                "You can ask again next month, or visit the PST desk."
            ),
            n=month,
        )


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

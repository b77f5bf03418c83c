"""Every check of a softcopy request, in the order a submission meets them: the form, the access
policy, the quotas, the visit it is asked from and the requests it would repeat (`check_request`).

Here too are what the checks read: the form as typed (`SoftcopyRequestDetails`) and the office's
rules (`RequestRules`). Recording the request and announcing it is `requests`'s work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from sqlalchemy import func, select

from library.catalogue.read_models import PublicationDetail
from library.clock import office_zone
from library.errors import InvalidField, InvalidFields, InvalidInput, NotAllowed, PustakaError
from library.i18n import N_
from library.models import (
    OPEN_STATUSES,
    AccessLevel,
    Office,
    RequestScope,
    RequestStatus,
    SoftcopyRequest,
    User,
    Visit,
)
from library.softcopy.page_ranges import parse_page_ranges
from library.softcopy.purposes import purpose
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


@dataclass(frozen=True)
class Checked:
    """What a request that passed its checks asks for, where it starts and who serves it."""

    scope: RequestScope
    ranges: str
    status: RequestStatus
    clock_start: dt.datetime  # when its working days start counting
    serving: str = ""  # the office that serves it


def check_request(
    uow: UnitOfWork,
    user: User,
    form: SoftcopyRequestDetails,
    detail: PublicationDetail,
    rules: RequestRules,
    now: dt.datetime,
) -> Checked:
    """Check a request as submitted: the form, the policy and the quotas (every problem at once),
    then the visit it is asked from and the requests it would repeat; return what it asks for."""
    # The office that serves the request counts it, whatever office issued the publication: the
    # visit's office for a request made at a terminal, else the office whose site this is.
    serving = rules.office_code or detail.summary.office_code
    if form.visit_id is not None:
        serving = check_visit(uow, user, form.visit_id)
    checked = _check_form_and_policy(uow, user, form, detail, rules, now)
    check_duplicate(uow, user.id, form.publication_id, checked.ranges, now)
    return replace(checked, serving=serving)


def _check_form_and_policy(
    uow: UnitOfWork,
    user: User,
    form: SoftcopyRequestDetails,
    detail: PublicationDetail,
    rules: RequestRules,
    now: dt.datetime,
) -> Checked:
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
        release = detail.summary.embargo_until or today_at_office(now, rules)
        clock_start = dt.datetime.combine(release, OPENING, office_zone(rules.calendar.timezone))
    return Checked(*wanted, status, clock_start)


def today_at_office(now: dt.datetime, rules: RequestRules) -> dt.date:
    """Return the office's date at `now`."""
    return now.astimezone(office_zone(rules.calendar.timezone)).date()


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


def made_counts(uow: UnitOfWork, user_id: int, now: dt.datetime, rules: RequestRules) -> tuple[int, int]:
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
    today, month = made_counts(uow, user_id, now, rules)
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

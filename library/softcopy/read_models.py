"""Softcopy requests as people see them: "My requests", one request, the librarian's queue and history."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import selectinload

from library.accounts.person_reads import as_read
from library.clock import DEFAULT_TIMEZONE, office_zone
from library.errors import InvalidField, NotAllowed
from library.i18n import N_
from library.models import Download, LinkState, Publication, RequestStatus, SoftcopyRequest, User, link_state
from library.models.labels import label
from library.paging import Page, clamp_page, fetch_page
from library.permissions import (
    ONLY_LIBRARIANS,
    Actor,
    may_decide_requests,
    require_decide_requests,
    require_signed_in,
)
from library.softcopy.purposes import purpose
from library.softcopy.requests import own_request
from library.uow import UnitOfWork

WAITING = (RequestStatus.REVIEW, RequestStatus.FAILED, RequestStatus.APPROVED)
ANSWERED = (RequestStatus.READY, RequestStatus.REFUSED)
MAX_PER_PAGE = 100
FINAL = (RequestStatus.READY, RequestStatus.REFUSED)  # nothing more happens without the person
LINK_EXPIRED = N_("Link expired")
DOWNLOADS_SPENT = N_("Downloads used up")


@dataclass(frozen=True)
class EventView:
    """One step of a request's history."""

    status: RequestStatus
    at: dt.datetime
    actor_name: str
    note: str


@dataclass(frozen=True)
class RequestView:
    """A request with what its pages show."""

    number: str
    publication_id: int
    publication_title: str
    requester_id: int
    requester_name: str
    requester_email: str
    requester_institution: str
    scope: str
    page_ranges: str
    approved_ranges: str  # "" unless a librarian approved only some of the pages asked for
    approval_note: str  # why, when only some pages were approved
    tables_wanted: str
    purpose_label: str
    intended_use: str
    status: RequestStatus
    submitted_at: dt.datetime
    due_at: dt.datetime
    decided_at: dt.datetime | None
    refusal_reason: str
    failure_reason: str  # a message id, with its values in failure_params (webapp.i18n.kept_error_message)
    failure_params: dict[str, Any]
    ready_at: dt.datetime | None
    expires_at: dt.datetime | None
    downloads: int
    download_cap: int
    events: tuple[EventView, ...]
    last_download_at: dt.datetime | None = None  # the last counted download (tried again, it counts once)

    def overdue(self, now: dt.datetime) -> bool:
        """Tell whether the request is still waiting past its deadline."""
        return self.status in WAITING + (RequestStatus.EMBARGO,) and now > self.due_at

    def link_state(self, now: dt.datetime) -> LinkState:
        """Say why a ready copy can or cannot be downloaded: ok, expired or spent."""
        return link_state(self.expires_at, self.downloads, self.download_cap, now, self.last_download_at)

    def badge(self, now: dt.datetime) -> tuple[str, str]:
        """Return the status badge's key and label: a ready copy that can no longer be downloaded says why."""
        if self.status is RequestStatus.READY:
            state = self.link_state(now)
            if state is LinkState.EXPIRED:
                return state.value, LINK_EXPIRED
            if state is LinkState.SPENT:
                return state.value, DOWNLOADS_SPENT
        return self.status.value, label(self.status)

    @property
    def final(self) -> bool:
        """Tell whether the request's status will change only by the person's own doing (or time)."""
        return self.status in FINAL


def request_view(uow: UnitOfWork, actor: Actor | None, number: str) -> RequestView:
    """Return one request for its owner or a librarian."""
    return _views(uow, [own_request(uow, actor, number)])[0]


def list_my_requests(uow: UnitOfWork, actor: Actor | None) -> list[RequestView]:
    """Return the actor's requests, newest first."""
    person = require_signed_in(uow, actor, N_("Sign in to see your requests."))
    rows = uow.session.scalars(
        select(SoftcopyRequest)
        .where(SoftcopyRequest.user_id == person.id)
        .options(selectinload(SoftcopyRequest.events))
        .order_by(SoftcopyRequest.submitted_at.desc(), SoftcopyRequest.id.desc())
    ).all()
    return _views(uow, rows)


def list_waiting(uow: UnitOfWork, actor: Actor | None) -> tuple[list[RequestView], list[RequestView]]:
    """Return the requests a librarian must act on (soonest deadline first) and those awaiting release."""
    require_decide_requests(uow, actor)
    rows = uow.session.scalars(
        select(SoftcopyRequest)
        .where(SoftcopyRequest.status.in_([s.value for s in WAITING + (RequestStatus.EMBARGO,)]))
        .options(selectinload(SoftcopyRequest.events))
        .order_by(SoftcopyRequest.due_at, SoftcopyRequest.id)
    ).all()
    views = _views(uow, rows)
    return (
        [v for v in views if v.status is not RequestStatus.EMBARGO],
        [v for v in views if v.status is RequestStatus.EMBARGO],
    )


def count_needing_decision(uow: UnitOfWork, actor: Actor | None) -> int:
    """Return how many requests wait for a librarian: to approve or refuse, or a failed copy to retry.

    A count on every staff page's menu: the librarian as read for this request answers whether
    they may see it (`as_read`), rather than a second read of their row and roles.
    """
    if not may_decide_requests(as_read(uow, actor)):
        raise NotAllowed(ONLY_LIBRARIANS)
    return uow.session.scalar(needing_decision_counted()) or 0


def needing_decision_counted() -> Select[int]:
    """Return the statement counting the requests waiting for a librarian (asked by someone allowed)."""
    needing = [RequestStatus.REVIEW.value, RequestStatus.FAILED.value]
    return select(func.count(SoftcopyRequest.id)).where(SoftcopyRequest.status.in_(needing))


@dataclass(frozen=True)
class AnsweredQuery:
    """What a librarian looks for among answered requests; empty fields do not filter."""

    requester: str = ""  # part of the requester's name, email or institution, any case
    title: str = ""  # part of the publication's title, or the request number
    status: RequestStatus | None = None  # one of ANSWERED
    date_from: dt.date | None = None  # the day of the answer at the office, both ends included
    date_to: dt.date | None = None
    timezone: str = DEFAULT_TIMEZONE


def search_answered(
    uow: UnitOfWork, actor: Actor | None, query: AnsweredQuery, page: int = 1, per_page: int = 25
) -> Page[RequestView]:
    """Return one page of the answered requests matching the query, latest answer first."""
    require_decide_requests(uow, actor)
    if query.status is not None and query.status not in ANSWERED:
        raise InvalidField("status", N_("Choose a status from the list."))
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise InvalidField("date_to", N_("The start date is after the end date."))
    page, per_page = clamp_page(page, per_page, MAX_PER_PAGE)
    answered_at = func.coalesce(SoftcopyRequest.decided_at, SoftcopyRequest.submitted_at)
    statement = (
        select(SoftcopyRequest)
        .join(User, User.id == SoftcopyRequest.user_id)
        .join(Publication, Publication.id == SoftcopyRequest.publication_id)
        .where(*_answered_conditions(query, answered_at))
        .options(selectinload(SoftcopyRequest.events))
        .order_by(answered_at.desc(), SoftcopyRequest.id.desc())
    )
    found = fetch_page(uow, statement, page, per_page)
    return Page(tuple(_views(uow, found.items)), found.number, found.per_page, found.total)


def _answered_conditions(
    query: AnsweredQuery, answered_at: ColumnElement[dt.datetime]
) -> list[ColumnElement[bool]]:
    """Turn a query on answered requests into SQL conditions."""
    statuses = [query.status] if query.status else list(ANSWERED)
    conditions: list[ColumnElement[bool]] = [SoftcopyRequest.status.in_([s.value for s in statuses])]
    if requester := query.requester.strip():
        conditions.append(
            or_(
                User.name.icontains(requester, autoescape=True),
                User.email.icontains(requester, autoescape=True),
                User.institution.icontains(requester, autoescape=True),
            )
        )
    if title := query.title.strip():
        conditions.append(
            or_(
                Publication.title.icontains(title, autoescape=True),
                SoftcopyRequest.number.icontains(title, autoescape=True),
            )
        )
    zone = office_zone(query.timezone)
    if query.date_from:
        conditions.append(answered_at >= dt.datetime.combine(query.date_from, dt.time.min, zone))
    if query.date_to:
        day_after = query.date_to + dt.timedelta(days=1)
        conditions.append(answered_at < dt.datetime.combine(day_after, dt.time.min, zone))
    return conditions


def _views(uow: UnitOfWork, rows: Sequence[SoftcopyRequest]) -> list[RequestView]:
    """Build the views of requests, with their people and titles read in one query each."""
    if not rows:
        return []
    user_ids = {r.user_id for r in rows} | {e.actor_id for r in rows for e in r.events if e.actor_id}
    people = {u.id: u for u in uow.session.scalars(select(User).where(User.id.in_(user_ids)))}
    titles = dict(
        uow.session.execute(
            select(Publication.id, Publication.title).where(
                Publication.id.in_({r.publication_id for r in rows})
            )
        ).all()
    )
    last = dict(
        uow.session.execute(
            select(Download.request_id, func.max(Download.at))
            .where(Download.request_id.in_([r.id for r in rows if r.downloads]))
            .group_by(Download.request_id)
        ).all()
    )
    return [
        dataclasses.replace(_view(row, people, titles), last_download_at=last.get(row.id)) for row in rows
    ]


def _view(row: SoftcopyRequest, people: dict[int, User], titles: dict[int, str]) -> RequestView:
    """Build the view of one request."""
    requester = people.get(row.user_id)
    kind = purpose(row.purpose)
    return RequestView(
        number=row.number,
        publication_id=row.publication_id,
        publication_title=titles.get(row.publication_id, ""),
        requester_id=row.user_id,
        requester_name=requester.name if requester else "",
        requester_email=requester.email if requester else "",
        requester_institution=requester.institution if requester else "",
        scope=row.scope,
        page_ranges=row.page_ranges,
        approved_ranges=row.approved_ranges,
        approval_note=_approval_note(row) if row.approved_ranges else "",
        tables_wanted=row.tables_wanted,
        purpose_label=kind.label if kind else row.purpose,
        intended_use=row.intended_use,
        status=RequestStatus(row.status),
        submitted_at=row.submitted_at,
        due_at=row.due_at,
        decided_at=row.decided_at,
        refusal_reason=row.refusal_reason,
        failure_reason=row.failure_reason,
        failure_params=dict(row.failure_params or {}),
        ready_at=row.ready_at,
        expires_at=row.expires_at,
        downloads=row.downloads,
        download_cap=row.download_cap,
        events=tuple(
            EventView(
                RequestStatus(e.status), e.at, people[e.actor_id].name if e.actor_id in people else "", e.note
            )
            for e in row.events
        ),
    )


def _approval_note(row: SoftcopyRequest) -> str:
    """Return the note of the request's latest approval by a librarian."""
    notes = [e.note for e in row.events if e.status == RequestStatus.APPROVED.value and e.actor_id]
    return notes[-1] if notes else ""

"""Softcopy requests as people see them: "My requests", one request, the librarian's queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from library.i18n import N_
from library.models import Publication, RequestStatus, SoftcopyRequest, User
from library.models.labels import label
from library.permissions import Actor, require_decide_requests, require_signed_in
from library.softcopy.purposes import purpose
from library.softcopy.requests import own_request
from library.uow import UnitOfWork

WAITING = (RequestStatus.REVIEW, RequestStatus.FAILED, RequestStatus.APPROVED)
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
    tables_wanted: str
    purpose_label: str
    intended_use: str
    status: RequestStatus
    submitted_at: dt.datetime
    due_at: dt.datetime
    decided_at: dt.datetime | None
    refusal_reason: str
    failure_reason: str
    ready_at: dt.datetime | None
    expires_at: dt.datetime | None
    downloads: int
    download_cap: int
    events: tuple[EventView, ...]

    def overdue(self, now: dt.datetime) -> bool:
        """Tell whether the request is still waiting past its deadline."""
        return self.status in WAITING + (RequestStatus.EMBARGO,) and now > self.due_at

    def link_state(self, now: dt.datetime) -> str:
        """Say why a ready copy can or cannot be downloaded: ok, expired or spent."""
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        if self.downloads >= self.download_cap:
            return "spent"
        return "ok"

    def badge(self, now: dt.datetime) -> tuple[str, str]:
        """Return the status badge's key and label: a ready copy that can no longer be downloaded says why."""
        if self.status is RequestStatus.READY:
            state = self.link_state(now)
            if state == "expired":
                return "expired", LINK_EXPIRED
            if state == "spent":
                return "spent", DOWNLOADS_SPENT
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
    return [_view(row, people, titles) for row in rows]


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
        tables_wanted=row.tables_wanted,
        purpose_label=kind.label if kind else row.purpose,
        intended_use=row.intended_use,
        status=RequestStatus(row.status),
        submitted_at=row.submitted_at,
        due_at=row.due_at,
        decided_at=row.decided_at,
        refusal_reason=row.refusal_reason,
        failure_reason=row.failure_reason,
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

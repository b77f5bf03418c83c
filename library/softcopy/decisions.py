"""The librarian's decisions on softcopy requests, and the clock that releases embargoes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from sqlalchemy import select, update

from library.db import changed_rows
from library.errors import InvalidField, InvalidInput, NotAllowed
from library.i18n import N_
from library.job_queue import JobQueue
from library.ledger.deliveries import deliverable_file, publication_title
from library.mail import Mailer
from library.models import AccessLevel, Publication, RequestEvent, RequestStatus, SoftcopyRequest, User
from library.permissions import Actor, require_decide_requests
from library.softcopy.mail import request_refused
from library.softcopy.page_ranges import parse_page_ranges
from library.softcopy.request_checks import decide
from library.softcopy.requests import find_request
from library.text import clean_text, format_page_ranges
from library.uow import UnitOfWork

MIN_REASON = 10
APPROVABLE = (RequestStatus.REVIEW, RequestStatus.FAILED)
REFUSABLE = (RequestStatus.REVIEW, RequestStatus.EMBARGO, RequestStatus.FAILED)


def check_approve(
    uow: UnitOfWork,
    actor: Actor | None,
    number: str,
    queue: JobQueue,
    now: dt.datetime,
    note: str = "",
    pages: str = "",
) -> None:
    """Approve a waiting request (or try a failed one again), all of it or only `pages`, and queue its copy.

    Approving only some of the pages asked for needs the reason in `note`: the requester reads it
    beside the pages approved. Empty `pages` approves what was asked (or, on a retry, what was
    approved before).
    """
    librarian = require_decide_requests(uow, actor)
    row = find_request(uow, number)
    note = clean_text(note)
    narrowed = {"approved_ranges": _approved_ranges(uow, row, pages, note)} if pages.strip() else {}
    _move(
        uow,
        row,
        APPROVABLE,
        RequestStatus.APPROVED,
        librarian.id,
        note,
        now,
        decided_at=now,
        decided_by_id=librarian.id,
        failure_reason="",
        copy_claimed_at=None,
        copy_attempts=0,
        **narrowed,
    )
    request_id = row.id
    uow.after_commit(lambda: queue.deliver(request_id))


def _approved_ranges(uow: UnitOfWork, row: SoftcopyRequest, pages: str, note: str) -> str:
    """Return the pages approved, written short ("" when they are all the pages asked for).

    Only pages the requester asked for can be approved (all of the publication's for a
    whole-publication request), and leaving some out needs a reason they can read.
    """
    count = deliverable_file(uow, row.publication_id).page_count or 0
    tidy, approved = parse_page_ranges(pages, count, field="pages")
    asked = set(parse_page_ranges(row.page_ranges, count)[1]) if row.page_ranges else set(range(1, count + 1))
    extra = sorted(set(approved) - asked)
    if extra:
        raise InvalidField(
            "pages",
            N_("Pages %(pages)s were not asked for; approve only pages from %(asked)s."),
            pages=format_page_ranges(extra),
            asked=row.page_ranges or f"1-{count}",
        )
    if set(approved) == asked:
        return ""
    if len(note) < MIN_REASON:
        raise InvalidField(
            "note",
            N_("Say why only some pages are approved (at least %(n)s characters); the requester reads it."),
            n=MIN_REASON,
        )
    return tidy


def check_refuse(
    uow: UnitOfWork,
    actor: Actor | None,
    number: str,
    reason: str,
    mailer: Mailer,
    request_link: Callable[[str], str],
    now: dt.datetime,
) -> None:
    """Refuse a request with a reason the requester is emailed."""
    librarian = require_decide_requests(uow, actor)
    reason = clean_text(reason)
    if len(reason) < MIN_REASON:
        raise InvalidField(
            "reason",
            N_("Write the reason for the refusal (at least %(n)s characters); the requester reads it."),
            n=MIN_REASON,
        )
    row = find_request(uow, number)
    _move(
        uow,
        row,
        REFUSABLE,
        RequestStatus.REFUSED,
        librarian.id,
        reason,
        now,
        decided_at=now,
        decided_by_id=librarian.id,
        refusal_reason=reason,
    )
    user = uow.session.get(User, row.user_id)
    assert user is not None
    mailer.send_after_commit(
        uow,
        request_refused(
            user.email,
            user.name,
            row.number,
            publication_title(uow, row.publication_id),
            reason,
            request_link(row.number),
        ),
    )


def release_embargoed(uow: UnitOfWork, queue: JobQueue, today: dt.date, now: dt.datetime) -> list[str]:
    """Move requests whose publication's embargo has ended on: approved, or to a librarian."""
    rows = uow.session.execute(
        select(SoftcopyRequest, Publication)
        .join(Publication, Publication.id == SoftcopyRequest.publication_id)
        .where(SoftcopyRequest.status == RequestStatus.EMBARGO.value)
    ).all()
    released = []
    for row, publication in rows:
        level = publication.effective_access(today)
        if level is AccessLevel.EMBARGOED:
            continue
        user = uow.session.get(User, row.user_id)
        assert user is not None
        try:
            status = decide(level, user)
        except NotAllowed:  # the item is for verified users and this email is not: ask a librarian
            status = RequestStatus.REVIEW
        extra = {"decided_at": now} if status is RequestStatus.APPROVED else {}
        try:
            _move(uow, row, (RequestStatus.EMBARGO,), status, None, "", now, **extra)
        except InvalidInput:
            continue  # another worker released (or a librarian refused) it just now
        if status is RequestStatus.APPROVED:
            uow.after_commit(partial(queue.deliver, row.id))
        released.append(row.number)
    return released


def _move(
    uow: UnitOfWork,
    row: SoftcopyRequest,
    allowed: tuple[RequestStatus, ...],
    status: RequestStatus,
    actor_id: int | None,
    note: str,
    now: dt.datetime,
    **values: object,
) -> None:
    """Change a request's status only if it is still in an allowed one, and record the step.

    One conditional UPDATE: two librarians (or a librarian and the embargo clock) deciding at
    the same moment cannot both win.
    """
    moved = uow.session.execute(
        update(SoftcopyRequest)
        .where(SoftcopyRequest.id == row.id, SoftcopyRequest.status.in_([s.value for s in allowed]))
        .values(status=status.value, **values)
        .execution_options(synchronize_session=False)
    )
    if changed_rows(moved) != 1:
        raise InvalidInput(
            N_("Request %(number)s is not waiting for a decision any more."), number=row.number
        )
    uow.session.add(
        RequestEvent(request_id=row.id, status=status.value, at=now, actor_id=actor_id, note=note)
    )
    uow.session.flush()
    uow.session.expire(row)

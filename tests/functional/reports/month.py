"""A month of PST service on a fake clock, from a seed: walk-ins, requests, copies, searches, surveys,
online consultations, the consultants' records of walk-in consultations, and complaints.

November 2026 at BPS Kota Metro (WIB, UTC+7), with a few events just outside it (late
October, 1 December) that the report must leave out. Walk-ins go through the counters' use
cases at their own moments (call, start with the reason for a late start, finish or skip),
each finished service's survey is answered through the survey use case, searches are counted
by the search's use case; requests, ledger rows and downloads are stored as the request flow
leaves them; complaints are filed and handled through their use cases (`month_complaints`,
with a seed of their own, so the other figures stay as they were). Everything generated is
kept in plain lists for `expected` to compute the figures from, with its own arithmetic.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from flask import Flask
from sqlalchemy import select

from library.frontoffice.categories import AGE_BANDS, EDUCATIONS, OCCUPATIONS
from library.frontoffice.queue.actions import call_next, finish_service, recall, skip_no_show, start_service
from library.frontoffice.queue.numbering import issue_ticket
from library.models import (
    Delivery,
    DeliveryChannel,
    Download,
    Office,
    Publication,
    QueueService,
    RequestStatus,
    ServiceKind,
    SoftcopyRequest,
    SurveyChannel,
    User,
    Visit,
)
from library.quality.survey import invitation_for, invite, request_event, submit_survey, ticket_event
from library.uow import UnitOfWork
from library.working_days import Calendar
from tests.functional.reports.month_complaints import file_complaints
from tests.functional.reports.month_consultations import online_consultations, record, second_consultant
from tests.functional.reports.month_records import Copy, Guest, Month, Request, WalkIn
from tests.functional.reports.month_searches import count_searches

SEED = 16
FIRST, LAST = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=WIB)  # the report is read on Wednesday 2 December
METRO = "1872"
TARGETS = {"library": 5, "consultation": 10}  # minutes, from the standards
WORKING_DAYS = 3  # an online request's target
CALENDAR = Calendar.of("Asia/Jakarta")
REASONS = ("Terminal penuh", "Petugas rapat")  # staff's reasons for a late start
ANSWERS = (RequestStatus.READY, RequestStatus.REFUSED)
REASONS_RECORDED = {RequestStatus.REFUSED: "Data belum dirilis", RequestStatus.FAILED: "Berkas rusak"}


def at(day: dt.date, hour: int, minute: float = 0) -> dt.datetime:
    """Return a WIB wall-clock moment as UTC."""
    return (dt.datetime.combine(day, dt.time(hour), WIB) + dt.timedelta(minutes=minute)).astimezone(dt.UTC)


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Return every day from first to last."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def generate(app: Flask, staff_id: int, reader_id: int) -> Month:
    """Run the month on the app's database and return what happened."""
    rng = random.Random(SEED)
    state = app.extensions["pustaka"]
    with state.uow() as uow:
        titles = {pid: title for pid, title in uow.session.execute(select(Publication.id, Publication.title))}
        staff = uow.session.get(User, staff_id)
        assert staff is not None
        _ = staff.roles
        uow.session.expunge(staff)
    month = Month(titles)
    consultants = [staff, second_consultant(app)]
    crng = random.Random(SEED + 1)  # the consultations' own draws: the other figures stay as they were
    vrng = random.Random(SEED + 2)  # the guest book's answers' own draws, likewise
    for day in days(dt.date(2026, 10, 30), dt.date(2026, 12, 1)):
        if CALENDAR.is_working_day(day):
            for service in ("library", "consultation"):
                _walk_ins(app, (rng, crng, vrng), month, consultants, day, service)
        month.online_consultations += online_consultations(
            app, crng, day, reader_id, _office_id(app), consultants
        )
        _requests(app, rng, month, day, reader_id)
        _counter_copies(app, rng, month, day)
        month.searches += count_searches(app, rng, day, staff, METRO)
    month_days = days(dt.date(2026, 10, 30), dt.date(2026, 12, 1))
    month.complaints = file_complaints(app, random.Random(SEED + 1), staff, month_days, at, NOW, METRO)
    return month


def _walk_ins(
    app: Flask,
    rngs: tuple[random.Random, random.Random, random.Random],
    month: Month,
    consultants: list[User],
    day: dt.date,
    service: str,
) -> None:
    """Issue a day's tickets of one service, then serve them in order at one counter.

    `rngs`: the main draws, the consultations' and the guest book's answers'.
    """
    rng, crng, vrng = rngs
    previous_end: dt.datetime | None = None
    for issued in _issue_tickets(app, (rng, vrng), month, day, service):
        free = max(issued, previous_end) if previous_end else issued
        clock = issued if service == "library" or previous_end is None else max(issued, previous_end)
        called = free + dt.timedelta(minutes=rng.choice((0, 1, 2, 3, 4, 5, 7, 9, 12)))
        late = called > clock + dt.timedelta(minutes=TARGETS[service])
        walk_in = WalkIn(service, day, "", issued, clock, called, rng.choice(REASONS) if late else "")
        previous_end = _serve(app, rng, month, consultants, walk_in, crng)


def _issue_tickets(
    app: Flask, rngs: tuple[random.Random, random.Random], month: Month, day: dt.date, service: str
) -> list[dt.datetime]:
    """Record a day's visitors of one service at the guest book and issue their tickets; return when.

    The visitors' answers are drawn from every category (and an old code no longer offered).
    """
    rng, vrng = rngs
    arrivals = sorted({at(day, 8, rng.randrange(0, 420)) for _ in range(rng.randint(0, 4))})
    with app.extensions["pustaka"].uow() as uow:
        queue = uow.session.scalars(select(QueueService).where(QueueService.code == service)).first()
        assert queue is not None
        for n, issued in enumerate(arrivals):
            guest = Guest(
                day,
                issued,
                service,
                sex=rng.choice(("male", "female")),
                age_band=vrng.choice([c.code for c in AGE_BANDS]),
                occupation=vrng.choice([*(c.code for c in OCCUPATIONS), "retired_1990"]),
                education=vrng.choice([c.code for c in EDUCATIONS[:4]]),  # nobody with a doctorate: a 0 row
            )
            month.guests.append(guest)
            visit = Visit(
                office_id=queue.office_id,
                status_token=secrets.token_urlsafe(16),
                name=f"Pengunjung {n}",
                sex=guest.sex,
                age_band=guest.age_band,
                occupation=guest.occupation,
                education=guest.education,
                day=day,
                arrived_at=issued,
            )
            uow.session.add(visit)
            issue_ticket(uow, visit, queue, issued)
        uow.commit()
    return arrivals


def _serve(
    app: Flask,
    rng: random.Random,
    month: Month,
    consultants: list[User],
    walk_in: WalkIn,
    crng: random.Random,
) -> dt.datetime:
    """Call the next ticket at its moment; skip it as a no-show or serve it (its survey answered, some).

    Return when the counter is free again.
    """
    state, staff, service = app.extensions["pustaka"], consultants[0], walk_in.service
    called = walk_in.served
    assert called is not None
    with state.uow() as uow:
        ticket = call_next(uow, staff, METRO, service, "Loket 1", called)
        walk_in.code, ticket_id = ticket.code, ticket.id
        uow.commit()
    if rng.random() < 0.1:
        with state.uow() as uow:  # called again first: "Tidak hadir" needs a second call
            recall(uow, staff, ticket_id, called + dt.timedelta(seconds=30))
            skip_no_show(uow, staff, ticket_id, called + dt.timedelta(minutes=1))
            uow.commit()
        walk_in.served, walk_in.reason = None, ""
        month.walk_ins.append(walk_in)
        return called + dt.timedelta(minutes=1)
    finished = called + dt.timedelta(minutes=rng.randint(5, 30))
    with state.uow() as uow:
        start_service(uow, staff, ticket_id, called, walk_in.reason)
        uow.commit()
    if service == "consultation" and crng.random() < 0.9:  # some tickets of the day before the records
        month.counter_consultations.append(record(app, crng, consultants, ticket_id, walk_in.day, finished))
    with state.uow() as uow:
        finish_service(uow, staff, ticket_id, finished)
        uow.commit()
    month.walk_ins.append(walk_in)
    month.invited.append((service, finished))
    if rng.random() < 0.7:
        answered = finished + dt.timedelta(minutes=rng.choice((2, 30, 900)))  # some the next day
        with state.uow() as uow:
            token = invitation_for(uow, ticket_event(ticket_id), finished)
            assert token is not None
            _answer(app, rng, month, token, service, answered)
    return finished


def _answer(
    app: Flask, rng: random.Random, month: Month, token: str, service: str, when: dt.datetime
) -> None:
    """Answer a survey link at a moment with scores leaning to good."""
    scores = {f"U{n}": rng.choice((2, 3, 3, 3, 4, 4)) for n in range(1, 10)}
    with app.extensions["pustaka"].uow() as uow:
        submit_survey(uow, token, {k: str(v) for k, v in scores.items()}, "", when)
        uow.commit()
    month.surveys.append((service, when.astimezone(WIB).date(), scores))


def _requests(app: Flask, rng: random.Random, month: Month, day: dt.date, reader_id: int) -> None:
    """Store a day's softcopy requests as the request flow leaves them, their copies and downloads."""
    visits = _visits_of(app, day)
    for n in range(rng.randint(0, 3)):
        request, visit_id, downloads = _draw_request(rng, month, day, n, visits)
        title = month.titles[request.publication_id]
        _store_request(app, request, visit_id, downloads, reader_id, title)
        month.requests.append(request)
        month.downloads += [(request.number, request.publication_id, when) for when in downloads]
        if request.status is RequestStatus.READY:
            assert request.answered is not None
            month.copies.append(
                Copy(DeliveryChannel.ONLINE, 12, request.publication_id, title, request.answered)
            )
            if rng.random() < 0.5:
                with app.extensions["pustaka"].uow() as uow:
                    token = invite(
                        uow,
                        office_id=_office_id(app),
                        service=ServiceKind.LIBRARY,
                        channel=SurveyChannel.SOFTCOPY,
                        event_key=request_event(request.number),
                        now=request.answered,
                    )
                    uow.commit()
                month.invited.append(("library", request.answered))
                later = request.answered + dt.timedelta(hours=rng.choice((1, 30)))
                _answer(app, rng, month, token, "library", later)


def _draw_request(
    rng: random.Random, month: Month, day: dt.date, n: int, visits: list[int]
) -> tuple[Request, int | None, list[dt.datetime]]:
    """Draw the day's `n`th request: when, what became of it, the visit it was asked in, its downloads."""
    submitted = at(day, 7, rng.randrange(0, 13 * 60))
    due = CALENDAR.add_working_days(submitted, WORKING_DAYS)
    status = rng.choices(
        (RequestStatus.READY, RequestStatus.REFUSED, RequestStatus.REVIEW, RequestStatus.FAILED),
        weights=(60, 15, 15, 10),
    )[0]
    hours = rng.choice((0.02, 3, 20, 50, 90, 130))
    answered = (
        submitted + dt.timedelta(hours=hours)
        if status in (RequestStatus.READY, RequestStatus.REFUSED)
        else None
    )
    reason = REASONS_RECORDED.get(status)
    publication_id = rng.choice(sorted(month.titles))
    visit_id = rng.choice(visits) if visits and rng.random() < 0.25 else None
    number = f"PS-{day:%Y%m%d}-{n + 1:05d}"
    downloads = (
        sorted(answered + dt.timedelta(hours=rng.uniform(0.1, 80)) for _ in range(rng.randint(0, 3)))
        if answered and status is RequestStatus.READY
        else []
    )
    request = Request(number, submitted, due, status, answered, reason, visit_id is not None, publication_id)
    return request, visit_id, downloads


def _store_request(
    app: Flask,
    request: Request,
    visit_id: int | None,
    downloads: list[dt.datetime],
    reader_id: int,
    title: str,
) -> None:
    """Store the request as the request flow leaves it, with its downloads and, when ready, its ledger row."""
    status, answered = request.status, request.answered
    with app.extensions["pustaka"].uow() as uow:
        row = SoftcopyRequest(
            number=request.number,
            user_id=reader_id,
            publication_id=request.publication_id,
            visit_id=visit_id,
            office_code=METRO,
            scope="whole",
            purpose="research",
            intended_use="Skripsi",
            terms_accepted_at=request.submitted,
            status=status.value,
            submitted_at=request.submitted,
            due_at=request.due,
            decided_at=answered if status is RequestStatus.REFUSED else None,
            refusal_reason=request.reason if status is RequestStatus.REFUSED else "",
            failure_reason=request.reason if status is RequestStatus.FAILED else "",
            ready_at=answered if status is RequestStatus.READY else None,
            downloads=len(downloads),
        )
        uow.session.add(row)
        uow.session.flush()
        for when in downloads:
            uow.session.add(Download(request_id=row.id, user_id=reader_id, at=when))
        if status is RequestStatus.READY:
            assert answered is not None
            _ledger_row(uow, DeliveryChannel.ONLINE, 12, request.publication_id, title, answered)
        uow.commit()


def _counter_copies(app: Flask, rng: random.Random, month: Month, day: dt.date) -> None:
    """Record the copies made at the terminals, by scanning and by staff on a day (some near midnight)."""
    for _ in range(rng.randint(0, 2)):
        channel = rng.choice((DeliveryChannel.TERMINAL, DeliveryChannel.SCAN, DeliveryChannel.STAFF))
        publication_id = (
            None
            if channel is DeliveryChannel.SCAN and rng.random() < 0.4
            else rng.choice(sorted(month.titles))
        )
        title = month.titles[publication_id] if publication_id else "Peta Kota Metro 1990"
        # Some just after midnight WIB: still the previous day in UTC.
        when = at(day, 0, rng.choice((20, 600, 1430)))
        pages = rng.randint(1, 30)
        with app.extensions["pustaka"].uow() as uow:
            _ledger_row(uow, channel, pages, publication_id, title, when)
            uow.commit()
        month.copies.append(Copy(channel, pages, publication_id, title, when))


def _ledger_row(
    uow: UnitOfWork,
    channel: DeliveryChannel,
    pages: int,
    publication_id: int | None,
    title: str,
    when: dt.datetime,
) -> None:
    """Add one ledger row as a delivery leaves it."""
    uow.session.add(
        Delivery(
            delivery_id=secrets.token_hex(8),
            publication_id=publication_id,
            title=title,
            source_sha256="0" * 64,
            output_sha256=secrets.token_hex(32),
            recipient_name="Penerima",
            channel=channel.value,
            office_code=METRO,
            pages=pages,
            delivered_at=when,
        )
    )


def _visits_of(app: Flask, day: dt.date) -> list[int]:
    with app.extensions["pustaka"].uow() as uow:
        return list(uow.session.scalars(select(Visit.id).where(Visit.day == day)))


def _office_id(app: Flask) -> int:
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalar(select(Office.id).where(Office.code == METRO))
    assert found is not None
    return found

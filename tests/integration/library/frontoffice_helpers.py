"""What the front-office integration tests share: Kota Metro's offices loaded, a guard, a good entry."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

import catalog_data
from library.accounts.ratelimit import Limit, SqlRateLimiter, Throttle
from library.catalogue.offices import sync_offices
from library.db import make_session_factory
from library.frontoffice.guest_book import GuestBookEntry, GuestBookGuard, check_sign_guest_book, start_form
from library.models import Office, QueueService, Visit
from library.uow import UnitOfWork

KEY = b"g" * 64
# 08:00 WIB on a Monday; the office (Kota Metro, Asia/Jakarta) is 7 hours ahead of UTC.
NOW = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)
METRO = "1872"


def load_offices(uow: UnitOfWork) -> None:
    """Load the offices and their queues from the data, and commit."""
    with uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()


def make_guard(engine: Engine) -> GuestBookGuard:
    """Return a guest-book guard on the test's database with the deployment's default limits."""
    throttle = Throttle(SqlRateLimiter(make_session_factory(engine)), Limit(10, dt.timedelta(minutes=15)))
    return GuestBookGuard(secret=KEY, throttle=throttle)


def entry(now: dt.datetime = NOW, **answers: object) -> GuestBookEntry:
    """Return a good entry whose form was opened a minute before `now`, with answers replaced."""
    values: dict[str, object] = {
        "name": "Siti Aminah",
        "sex": "female",
        "age_band": "17_25",
        "occupation": "student",
        "education": "bachelor",
        "institution": "Universitas Lampung",
        "phone": "0812 3456 7890",
        "email": "",
        "purpose": "Mencari data kemiskinan",
        "services": ("library",),
        "form_started": start_form(KEY, now - dt.timedelta(minutes=1)),
        # Many tests sign this name again at once; the question asked then is tested on its own.
        "same_name_confirmed": True,
    }
    values.update(answers)
    return GuestBookEntry(**values)  # type: ignore[arg-type]


def sign(
    uow: UnitOfWork,
    guard: GuestBookGuard,
    form: GuestBookEntry,
    now: dt.datetime = NOW,
    client: str = "10.0.0.9",
    office: str = METRO,
) -> str:
    """Sign the guest book, commit, and return the visit's status token."""
    with uow:
        visit = check_sign_guest_book(uow, guard, form, office_code=office, now=now, client=client)
        uow.commit()
        return visit.status_token


def visit_of(uow: UnitOfWork, token: str) -> Visit:
    """Return a visit with its tickets loaded, detached."""
    with uow:
        visit = uow.session.scalar(select(Visit).where(Visit.status_token == token))
        assert visit is not None
        _ = [(t.code, t.service.code) for t in visit.tickets]
        uow.session.expunge_all()
        return visit


def queue(uow: UnitOfWork, code: str, office: str = METRO) -> QueueService:
    """Return an office's queue by its code (detached)."""
    with uow:
        found = uow.session.scalar(
            select(QueueService).join(Office).where(Office.code == office, QueueService.code == code)
        )
        assert found is not None
        uow.session.expunge(found)
        return found

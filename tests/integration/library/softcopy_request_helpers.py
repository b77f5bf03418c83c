"""Shared pieces of the softcopy request tests: the fake queue and outbox, fixtures and shortcuts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

import catalog_data
from library.accounts.users import check_create_user
from library.filestore import FileStore
from library.mail import Mailer
from library.models import AccessLevel, Publication, RequestStatus, Role, SoftcopyRequest
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.softcopy.copies import CopyWorker
from library.softcopy.request_checks import RequestRules, SoftcopyRequestDetails
from library.softcopy.requests import check_submit_request
from library.uow import UnitOfWork
from tests.integration.library.ingest_fixtures import load_demo_records
from tests.integration.library.outbox import Sent
from tests.integration.library.pdf_helpers import tiny_pdf

NOW = dt.datetime(2026, 11, 16, 3, 0, tzinfo=dt.UTC)  # Monday 10:00 WIB
SECRET = b"test-secret-0123456789abcdef0123456789"


@dataclass
class Queue:
    """A stand-in job queue that only remembers the requests sent for delivery."""

    delivered: list[int] = field(default_factory=list)

    def ingest(self, job_id: int) -> None:
        """Ingest jobs are not run here."""

    def index(self, publication_id: int) -> None:
        """Indexing is not run here."""

    def deliver(self, request_id: int) -> None:
        """Remember a request whose copy is to be made."""
        self.delivered.append(request_id)

    def alert_desk(self, request_id: int) -> None:
        """Nobody to tell here."""


@pytest.fixture
def worker(uow: UnitOfWork, store: FileStore, sent: Sent) -> CopyWorker:
    """A copy worker on the test database and store, mailing into the outbox, on a fixed clock."""
    return CopyWorker(
        session_factory=uow._session_factory,
        store=store,
        mailer=Mailer(sent, "pst@example.id"),
        secret=SECRET,
        verify_base_url="https://pst.example.id/verifikasi",
        request_link=lambda n: f"https://pst.example.id/permintaan/{n}",
        now=lambda: NOW,
    )


@pytest.fixture
def pubs(uow: UnitOfWork, store: FileStore) -> dict[AccessLevel, int]:
    """Load one demo record of each access level, each with a 4-page stand-in PDF."""
    records = catalog_data.load_demo_catalogue()
    picked = [next(r for r in records if r.access_level == level.value) for level in AccessLevel]
    with uow:
        load_demo_records(uow, store, picked, lambda r: tiny_pdf(r.title, 4))
        rows = uow.session.execute(select(Publication.access_level, Publication.id)).all()
    return {AccessLevel(level): pid for level, pid in rows}


def person(uow: UnitOfWork, email: str, *, verified: bool = True, roles=(Role.READER,)):
    """Create and return an account named Ani Suryani with the given email and roles."""
    with uow:
        made = check_create_user(
            uow,
            SYSTEM,
            email=email,
            name="Ani Suryani",
            roles=roles,
            password="kopi tubruk pagi hari",
            email_verified=verified,
            now=utcnow(),
        )
        uow.commit()
    return made


def submit(
    uow: UnitOfWork,
    actor,
    pub: int,
    queue: Queue,
    rules: RequestRules | None = None,
    now: dt.datetime = NOW,
    **changes,
) -> str:
    """Submit a request for a thesis (the form changed by `changes`) and return its number."""
    form = SoftcopyRequestDetails(
        **{
            "publication_id": pub,
            "purpose": "thesis",
            "intended_use": "Untuk skripsi tentang migrasi.",
            "agreed": True,
            **changes,
        }
    )
    with uow:
        number = check_submit_request(uow, actor, form, rules or RequestRules(), queue, now, "198.51.100.7")
        uow.commit()
    return number


def status(uow: UnitOfWork, number: str) -> RequestStatus:
    """Return the current status of the request with this number."""
    with uow:
        return RequestStatus(
            uow.session.scalar(select(SoftcopyRequest.status).where(SoftcopyRequest.number == number))
        )

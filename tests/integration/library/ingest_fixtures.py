"""Shared pieces of the ingest tests: a recording queue, a worker, offices and demo records loaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import catalog_data
from ingest.limits import Limits
from library.catalogue.demo import DemoReport, load_demo
from library.catalogue.offices import sync_offices
from library.filestore import FileStore
from library.intake.ingest_job import IngestWorker
from library.intake.submit import Submission, check_submit
from library.models import IngestChannel
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.uow import UnitOfWork

LIMITS = Limits(max_bytes=50 * 1024 * 1024, max_pages=500)


@dataclass
class RecordingQueue:
    """A job queue that remembers what it was asked to do."""

    ingested: list[int] = field(default_factory=list)
    indexed: list[int] = field(default_factory=list)

    def ingest(self, job_id: int) -> None:
        self.ingested.append(job_id)

    def index(self, publication_id: int) -> None:
        self.indexed.append(publication_id)

    def deliver(self, request_id: int) -> None:
        """No softcopy requests here."""

    def alert_desk(self, request_id: int) -> None:
        """Nobody to tell here."""


def load_offices(uow: UnitOfWork) -> None:
    """Load the four offices."""
    with uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()


def make_worker(
    uow: UnitOfWork, store: FileStore, queue: RecordingQueue, name: str = "test:1", **kw
) -> IngestWorker:
    """Return an ingest worker on the test database."""
    return IngestWorker(
        session_factory=uow._session_factory,
        store=store,
        queue=queue,
        limits=LIMITS,
        office_code="1872",
        now=kw.pop("now", utcnow),
        ocr_processes=2,
        lease=kw.pop("lease", dt.timedelta(seconds=60)),
        name=name,
        **kw,
    )


def submit(uow: UnitOfWork, store: FileStore, queue: RecordingQueue, path: Path, **kw) -> Submission:
    """Submit a file through the CLI channel (now, unless `now` says when) and commit."""
    channel, now = kw.pop("channel", IngestChannel.CLI), kw.pop("now", None) or utcnow()
    with uow:
        submission = check_submit(
            uow, store, queue, SYSTEM, path, channel=channel, limits=LIMITS, now=now, **kw
        )
        uow.commit()
    return submission


def load_demo_records(
    uow: UnitOfWork,
    store: FileStore,
    records: Sequence[catalog_data.DemoPublication],
    render: Callable[[catalog_data.DemoPublication], bytes],
    queue: RecordingQueue | None = None,
) -> DemoReport:
    """Take demo records in through the ingest pipeline, with the offices, on the test database."""
    worker = make_worker(uow, store, queue or RecordingQueue())
    return load_demo(worker, catalog_data.load_offices(), records, render)

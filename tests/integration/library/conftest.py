"""Fixtures of the library integration tests: a file store, a recording job queue, an outbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from library.consultation.rules import ConsultationPost
from library.filestore import FileStore
from library.mail import Mailer
from tests.integration.library.ingest_fixtures import RecordingQueue
from tests.integration.library.outbox import Sent


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    """Return an empty file store private to the test."""
    return FileStore(tmp_path / "files")


@pytest.fixture
def queue() -> RecordingQueue:
    """Return a job queue that records what it is asked to do."""
    return RecordingQueue()


@pytest.fixture
def sent() -> Sent:
    """Return an empty outbox."""
    return Sent()


@pytest.fixture
def post(sent: Sent) -> ConsultationPost:
    """Return where consultation emails go (the outbox) and the links they carry."""
    return ConsultationPost(
        mailer=Mailer(sent, "pst@example.id"),
        user_page=lambda n: f"https://pst.example.id/konsultasi/{n}",
        desk_page=lambda n: f"https://pst.example.id/meja/konsultasi/{n}",
        survey_page=lambda t: f"https://pst.example.id/survei/{t}",
    )

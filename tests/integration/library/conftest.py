"""Fixtures of the library integration tests: a file store, a recording job queue, an outbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from library.filestore import FileStore
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

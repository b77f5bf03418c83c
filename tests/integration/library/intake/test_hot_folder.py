"""The hot folder takes in settled files only, and files them in done/ or failed/ with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from library.errors import PustakaError
from library.intake.hot_folder import HotFolder, poll_hot_folder, watcher_lock
from library.intake.ingest_job import run_ingest
from library.models import IngestJob, Office, Publication
from library.models.base import utcnow
from library.uow import UnitOfWork
from tests.integration.ingest import hostile_files
from tests.integration.library.ingest_fixtures import LIMITS, RecordingQueue, load_offices, make_worker
from tests.integration.library.pdf_helpers import tiny_pdf


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def hot(tmp_path: Path) -> HotFolder:
    root = tmp_path / "hot"
    root.mkdir()
    return HotFolder(root, settle_seconds=5, clock=Clock())


def describe(error: PustakaError) -> str:
    return f"ALASAN: {error}"


def poll(hot, uow, store, queue):
    return poll_hot_folder(
        hot, lambda: UnitOfWork(uow._session_factory), store, queue, LIMITS, describe, now=utcnow()
    )


def later(hot: HotFolder, seconds: float = 6) -> None:
    hot.clock.now += seconds


def test_a_file_is_taken_only_once_it_has_stopped_changing(uow, store, hot) -> None:
    load_offices(uow)
    queue = RecordingQueue()
    path = hot.root / "scan-001.pdf"
    path.write_bytes(tiny_pdf("Sebagian", 1)[:200])  # the scanner is still writing
    assert poll(hot, uow, store, queue) == []
    later(hot)
    path.write_bytes(tiny_pdf("Lengkap", 2))  # it grew: the clock starts again
    assert poll(hot, uow, store, queue) == []
    later(hot, 2)
    assert poll(hot, uow, store, queue) == []
    later(hot, 4)
    events = poll(hot, uow, store, queue)
    assert [(e.name, e.outcome) for e in events] == [("scan-001.pdf", "queued")]
    assert len(queue.ingested) == 1


def test_partial_and_hidden_names_are_left_alone(uow, store, hot) -> None:
    load_offices(uow)
    queue = RecordingQueue()
    for name in ("scan.pdf.part", ".scan.pdf", "scan.pdf.tmp", "scan.pdf~"):
        (hot.root / name).write_bytes(tiny_pdf("x", 1))
    poll(hot, uow, store, queue)
    later(hot)
    assert poll(hot, uow, store, queue) == [] and queue.ingested == []


def test_a_ready_file_moves_to_done_and_matches_its_record_by_katalog_number(uow, store, hot) -> None:
    load_offices(uow)
    with uow:
        office_id = uow.session.scalar(select(Office.id).where(Office.code == "1872"))
        uow.session.add(
            Publication(
                key="sd", title="Statistik Daerah", issuing_office_id=office_id, katalog_bps="1101002.1872"
            )
        )
        uow.commit()
    queue = RecordingQueue()
    (hot.root / "1101002.1872 Statistik Daerah.pdf").write_bytes(tiny_pdf("Statistik Daerah", 2))
    poll(hot, uow, store, queue)
    later(hot)
    poll(hot, uow, store, queue)
    assert run_ingest(make_worker(uow, store, queue), queue.ingested[0]) is not None
    later(hot)
    events = poll(hot, uow, store, queue)
    assert [(e.outcome) for e in events] == ["done"]
    assert (hot.root / "done" / "1101002.1872 Statistik Daerah.pdf").is_file()
    with uow:
        assert uow.session.scalar(select(IngestJob.publication_id)) == uow.session.scalar(
            select(Publication.id)
        )


def test_a_refused_file_moves_to_failed_with_a_reason_file(uow, store, hot) -> None:
    load_offices(uow)
    queue = RecordingQueue()
    hostile_files.encrypted_pdf(hot.root)
    name = next(p.name for p in hot.root.iterdir() if p.is_file())
    poll(hot, uow, store, queue)
    later(hot)
    events = poll(hot, uow, store, queue)
    assert [e.outcome for e in events] == ["failed"]
    reason = (hot.root / "failed" / f"{name}.reason.txt").read_text(encoding="utf-8")
    assert reason.startswith("ALASAN:") and "password" in reason
    assert queue.ingested == [] and list(store.digests()) == []


def test_a_restarted_poller_recognises_a_file_already_queued(uow, store, hot, tmp_path) -> None:
    load_offices(uow)
    queue = RecordingQueue()
    (hot.root / "a.pdf").write_bytes(tiny_pdf("A", 1))
    poll(hot, uow, store, queue)
    later(hot)
    poll(hot, uow, store, queue)
    restarted = HotFolder(hot.root, settle_seconds=5, clock=hot.clock)
    poll(restarted, uow, store, queue)
    later(restarted)
    events = poll(restarted, uow, store, queue)
    assert [e.outcome for e in events] == ["waiting"] and len(queue.ingested) == 1


def test_only_one_watcher_holds_a_hot_folder(tmp_path: Path) -> None:
    with watcher_lock(tmp_path) as first:
        with watcher_lock(tmp_path) as second:
            assert first and not second

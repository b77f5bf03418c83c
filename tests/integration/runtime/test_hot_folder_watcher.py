"""The hot-folder watcher of `serve` and `worker`: files in, done/ and failed/ with reasons in id and en."""

from __future__ import annotations

from pathlib import Path

from library import migrate
from library.db import make_engine, make_session_factory
from library.intake.ingest_job import run_ingest
from library.settings import Settings
from library.uow import UnitOfWork
from runtime.hot_folder_watcher import HotFolderWatcher, start_watcher
from runtime.lanes import Jobs
from runtime.root import Runtime
from tests.integration.ingest import hostile_files
from tests.integration.library.ingest_fixtures import load_offices
from tests.integration.library.pdf_helpers import tiny_pdf
from tests.waiting import wait_until


def make_jobs(tmp_path: Path) -> Jobs:
    hot = tmp_path / "pemindai"
    hot.mkdir()
    settings = Settings.from_env(
        {}, instance_dir=tmp_path / "instance", hot_folder=str(hot), hot_folder_settle_seconds=0
    )
    engine = make_engine(settings.sqlalchemy_url)
    migrate.upgrade(engine)
    load_offices(UnitOfWork(make_session_factory(engine)))
    engine.dispose()
    return Runtime(settings).jobs


def test_the_watcher_takes_a_file_and_files_it_in_done_once_ready(tmp_path: Path) -> None:
    jobs = make_jobs(tmp_path)
    hot = Path(jobs.settings.hot_folder)
    (hot / "sakernas.pdf").write_bytes(tiny_pdf("Keadaan Angkatan Kerja", 2))
    watcher = HotFolderWatcher(jobs.rt)
    watcher.poll_once()  # first look: the size is noted
    watcher.poll_once()  # unchanged: taken in
    assert jobs.pending_count() == 1
    run_ingest(jobs.rt.ingest_worker(), 1)
    watcher.poll_once()
    assert (hot / "done" / "sakernas.pdf").is_file() and not (hot / "sakernas.pdf").exists()
    jobs.rt.close()


def test_a_refused_file_gets_a_reason_in_indonesian_then_english(tmp_path: Path) -> None:
    jobs = make_jobs(tmp_path)
    hot = Path(jobs.settings.hot_folder)
    path = hostile_files.encrypted_pdf(hot)
    watcher = HotFolderWatcher(jobs.rt)
    watcher.poll_once()
    watcher.poll_once()
    reason = (hot / "failed" / f"{path.name}.reason.txt").read_text(encoding="utf-8")
    indonesian, english = reason.strip().split("\n\n")
    assert "dilindungi kata sandi" in indonesian and "protected by a password" in english
    jobs.rt.close()


def test_only_one_watcher_runs_per_folder_and_it_stops_when_asked(tmp_path: Path) -> None:
    jobs = make_jobs(tmp_path)
    first = start_watcher(jobs.rt)
    wait_until(first.holding.is_set, timeout=10, message="the first watcher never took the folder")
    second = start_watcher(jobs.rt)
    second.join(timeout=5)
    assert first.is_alive() and not second.is_alive()
    first.stop()
    assert not first.is_alive()
    jobs.rt.close()


def test_no_watcher_without_a_hot_folder(tmp_path: Path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance")
    assert start_watcher(Runtime(settings)) is None

"""Building a test instance folder with offices and a sample of the demo catalogue."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

import catalog_data
from ingest.limits import Limits
from library.browse.series import do_make_demo_series
from library.catalogue.demo import load_demo
from library.db import make_engine, make_session_factory
from library.filestore import FileStore
from library.frontoffice.lockers.admin import do_add_demo_lockers
from library.intake.ingest_job import IngestWorker
from library.job_queue import JobQueue, NoQueue
from library.models.base import utcnow
from library.settings import Settings
from library.uow import UnitOfWork
from tests.conftest import require_service


def demo_sample(size: int = 10) -> list[catalog_data.DemoPublication]:
    """Pick a small, varied sample: every access level, a scan, several offices."""
    records = catalog_data.load_demo_catalogue()
    picked: list[catalog_data.DemoPublication] = []
    wanted = [
        lambda r: r.office == "1872" and r.access_level == "open" and not r.scanned,
        lambda r: r.scanned,
        lambda r: r.access_level == "embargoed",
        lambda r: r.access_level == "restricted",
        lambda r: r.access_level == "registered",
        lambda r: r.office == "1600",
        lambda r: r.office == "1674",
        lambda r: r.office == "1805",
        lambda r: bool(r.holdings),
    ]
    for want in wanted:
        match = next((r for r in records if want(r) and r not in picked), None)
        if match is not None:
            picked.append(match)
    for record in records:
        if len(picked) >= size:
            break
        if record not in picked and record.pages <= 12:
            picked.append(record)
    return picked


def demo_worker(factory: sessionmaker[Session], store: FileStore, queue: JobQueue) -> IngestWorker:
    """Return the ingest worker a test instance loads the demo with."""
    return IngestWorker(
        session_factory=factory,
        store=store,
        queue=queue,
        limits=Limits(),
        office_code="1872",
        now=utcnow,
        ocr_processes=2,
    )


def build_demo_instance(root: Path, template_db: Path, size: int = 10) -> Path:
    """Make an instance folder holding a migrated database with the demo sample taken in."""
    # The sample holds a scan: it is taken in like any other, with OCR.
    require_service("Tesseract", shutil.which("tesseract") is not None)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template_db, root / "pustaka.sqlite3")
    settings = Settings.from_env({}, instance_dir=root)
    load_demo_sample(settings, demo_sample(size))
    engine = make_engine(settings.sqlalchemy_url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return root


def load_demo_sample(settings: Settings, records: list[catalog_data.DemoPublication]) -> None:
    """Take demo records and the demo lockers into the (migrated) database the settings name."""
    engine = make_engine(settings.sqlalchemy_url)
    load_demo(
        demo_worker(make_session_factory(engine), FileStore(settings.files_path), NoQueue()),
        catalog_data.load_offices(),
        records,
        catalog_data.render_demo_pdf,
    )
    with UnitOfWork(make_session_factory(engine)) as uow:
        do_add_demo_lockers(uow, settings.office)
        do_make_demo_series(uow, utcnow())
        uow.commit()
    engine.dispose()


def copy_instance(source: Path, target: Path) -> Path:
    """Copy a built instance whole: its database, search index, catalogues and files.

    The files are hard links (a stored file is never changed in place, only replaced), so a
    copy costs little yet is this copy's own: a test that removes a stored file, or counts
    them, sees only its own process's.
    """
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.name == "files":
            shutil.copytree(item.resolve(), target / "files", copy_function=os.link)
        elif item.is_dir():
            shutil.copytree(item, target / item.name)
        else:
            shutil.copyfile(item, target / item.name)
    return target


def clone_instance(source: Path, target: Path) -> Path:
    """Copy a built instance's database and keys; share its (read-only, content-addressed) files.

    The keys go with the database: the copies its ledger names were signed with them, and an
    instance whose ledger names deliveries refuses to make a new delivery key.
    """
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "pustaka.sqlite3", target / "pustaka.sqlite3")
    if (source / "secrets").is_dir():
        shutil.copytree(source / "secrets", target / "secrets")
    (target / "files").symlink_to(source / "files", target_is_directory=True)
    if (source / "search").is_dir():
        shutil.copytree(source / "search", target / "search")
    return target


def index_instance(root: Path) -> Path:
    """Build the search index of an instance's publications."""
    import datetime as dt

    from library.catalogue.indexing import do_reindex
    from search.whoosh.engine import WhooshSearchEngine

    settings = Settings.from_env({}, instance_dir=root)
    engine = make_engine(settings.sqlalchemy_url)
    index = WhooshSearchEngine(root / "search")
    with UnitOfWork(make_session_factory(engine)) as uow:
        do_reindex(uow, index, dt.date(2026, 11, 21))
    index.close()
    engine.dispose()
    return root

"""A fresh instance folder holding some of the demo catalogue's publications, as ingest takes them in."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

import catalog_data
from ingest.limits import Limits
from library import migrate
from library.catalogue.demo import load_demo
from library.db import make_engine, make_session_factory
from library.filestore import FileStore
from library.intake.ingest_job import IngestWorker
from library.job_queue import NoQueue
from library.models.base import utcnow
from library.settings import Settings


def demo_instance(root: Path, keys: Sequence[str]) -> tuple[Engine, sessionmaker[Session], FileStore]:
    """Migrate a database in `root`, take in the demo publications of these keys (in this order);
    return its engine, session factory and file store."""
    settings = Settings.from_env({}, instance_dir=root)
    engine = make_engine(settings.sqlalchemy_url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    store = FileStore(settings.files_path)
    worker = IngestWorker(
        session_factory=factory, store=store, queue=NoQueue(), limits=Limits(), office_code="1872", now=utcnow
    )
    records = {r.key: r for r in catalog_data.load_demo_catalogue()}
    load_demo(
        worker, catalog_data.load_offices(), [records[key] for key in keys], catalog_data.render_demo_pdf
    )
    return engine, factory, store

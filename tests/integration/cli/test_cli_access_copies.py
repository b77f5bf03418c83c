"""`pustaka access-copies`: what was taken in earlier gets its access copy and ink; a second run: nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import catalog_data
from cli import main
from ingest.access import is_access_copy
from library.catalogue.offices import sync_offices
from library.db import make_engine, make_session_factory
from library.ledger.deliveries import deliverable_file
from library.ledger.page_ink import FOLDER
from library.models import FileAsset
from library.settings import Settings
from library.uow import UnitOfWork
from runtime.root import Runtime
from tests.conftest import require_service
from tests.integration.ingest.scan_pages import grey_scan
from tests.integration.library.pdf_helpers import tiny_pdf


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({}, instance_dir=tmp_path / "instance", ocr_processes=2)


def invoke(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj=Runtime(settings))


def with_offices(settings: Settings) -> None:
    """Bring the schema up and load the offices, as the demo does."""
    invoke(settings, "db", "upgrade")
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()
    engine.dispose()


def forget_access_copies(settings: Settings) -> None:
    """Make the instance look as before access copies: the scan's deliverable file is its master."""
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        for row in uow.session.query(FileAsset).filter(FileAsset.role == "access"):
            uow.session.delete(row)
        uow.commit()
    engine.dispose()


def test_access_copies_builds_the_missing_ones_then_finds_nothing_to_do(settings, tmp_path) -> None:
    require_service("Tesseract", shutil.which("tesseract") is not None)
    scan = tmp_path / "scan.pdf"
    grey_scan(scan, (1.2,), lines=6)
    with_offices(settings)
    assert invoke(settings, "ingest", str(scan)).exit_code == 0
    forget_access_copies(settings)
    first = invoke(settings, "access-copies")
    second = invoke(settings, "access-copies")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "BUILT   publication 1: 1 pages" in first.output
    assert "1 built, 0 already had one" in first.output
    assert "0 built, 1 already had one" in second.output
    rt = Runtime(settings)
    with rt.uow() as uow:
        assert is_access_copy(rt.store.path_for(deliverable_file(uow, 1).sha256))
    rt.close()


def test_access_copies_measures_the_ink_of_publications_taken_in_before_then_finds_nothing_to_do(
    settings, tmp_path
) -> None:
    source = tmp_path / "tables.pdf"
    source.write_bytes(tiny_pdf("Statistik Daerah Kota Metro", 2))
    with_offices(settings)
    assert invoke(settings, "ingest", str(source)).exit_code == 0
    shutil.rmtree(settings.files_path / FOLDER)  # as before ink was measured at ingest
    first = invoke(settings, "access-copies")
    second = invoke(settings, "access-copies")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "Ink for the stamp: 1 publications measured (2 pages), 0 measured before" in first.output
    assert "Ink for the stamp: 0 publications measured (0 pages), 1 measured before" in second.output

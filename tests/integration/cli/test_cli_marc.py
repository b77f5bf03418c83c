"""`pustaka marc`: a dry run that reports and exits 1 on a refused record, an import, an export read back."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from library.db import make_engine, make_session_factory
from library.models import Publication
from library.settings import Settings
from library.uow import UnitOfWork
from tests.integration.library.marc_helpers import RECORDS


def publications(settings: Settings) -> list[str]:
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        titles = list(uow.session.scalars(select(Publication.title).order_by(Publication.title)))
    engine.dispose()
    return titles


def test_a_dry_run_reports_each_record_and_takes_nothing_in(run, settings) -> None:
    assert run("db", "upgrade").exit_code == 0
    result = run("marc", "import", str(RECORDS / "slims_export.xml"))
    assert result.exit_code == 0, result.output
    assert "record 1: create 'Kecamatan Metro Pusat dalam angka 2024'" in result.output
    assert "2 to create, 0 to merge, 0 unchanged, 0 refused. Dry run" in result.output
    assert publications(settings) == []


def test_an_import_with_a_refused_record_takes_the_others_in_and_exits_1(run, settings) -> None:
    result = run("marc", "import", "--apply", str(RECORDS / "broken_leader.mrc"))
    assert result.exit_code == 1
    assert "record 1: REFUSED" in result.output and "leader is broken" in result.output
    assert publications(settings) == ["Statistik Indonesia 2003"]


def test_the_catalogue_exported_as_iso2709_imports_back_unchanged(run, settings, tmp_path: Path) -> None:
    assert run("marc", "import", "--apply", str(RECORDS / "inlis_export.mrc")).exit_code == 0
    exported = tmp_path / "katalog.mrc"
    assert run("marc", "export", "--format", "mrc", "-o", str(exported)).exit_code == 0
    result = run("marc", "import", "--apply", str(exported))
    assert "0 created, 0 merged, 1 unchanged, 0 refused." in result.output, result.output
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        assert uow.session.scalar(select(func.count(Publication.id))) == 1
    engine.dispose()

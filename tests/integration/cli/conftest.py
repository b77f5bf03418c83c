"""Fixtures of the web shell's integration tests: an instance on SQLite and the `pustaka` command on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import catalog_data
from cli import main
from library.catalogue.offices import sync_offices
from library.db import make_engine, make_session_factory
from library.settings import Settings
from library.uow import UnitOfWork
from runtime.root import Runtime


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Return the settings of an instance of the test's own (SQLite, two OCR processes)."""
    return Settings.from_env({}, instance_dir=tmp_path / "instance", ocr_processes=2)


@pytest.fixture
def run(settings: Settings) -> Callable[..., Result]:
    """Return `pustaka` on a migrated instance that knows the offices; call it with the command's words."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), obj=Runtime(settings))

    invoke("db", "upgrade")
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()
    engine.dispose()
    return invoke

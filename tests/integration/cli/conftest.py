"""Fixtures of the web shell's integration tests: an instance on SQLite and the `pustaka` command on it."""

from __future__ import annotations

import shutil
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


@pytest.fixture(scope="session")
def upgraded_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return an instance `pustaka db upgrade` made, offices synced: `run` copies it (once per worker).

    The upgrade of an empty SQLite database runs every migration (about 0.4 s); a copy of what
    it left costs a few milliseconds.
    """
    settings = Settings.from_env({}, instance_dir=tmp_path_factory.mktemp("upgraded") / "instance")
    _upgrade(settings)
    return settings.instance_path


@pytest.fixture
def run(settings: Settings, upgraded_instance: Path) -> Callable[..., Result]:
    """Return `pustaka` on a migrated instance that knows the offices; call it with the command's words.

    An instance of its own on SQLite starts as a copy of `upgraded_instance`; another (a database
    elsewhere, an instance already there) is upgraded by the command.
    """

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), obj=Runtime(settings))

    if not settings.database_url and not settings.instance_path.exists():  # its own SQLite, not made yet
        shutil.copytree(upgraded_instance, settings.instance_path)
    else:
        _upgrade(settings)
    return invoke


def _upgrade(settings: Settings) -> None:
    """Run `pustaka db upgrade` on the instance, then sync the offices with the shipped data."""
    rt = Runtime(settings)
    try:
        done = CliRunner().invoke(main, ["db", "upgrade"], obj=rt)
    finally:
        rt.close()  # nothing of the template is held open while it is copied
    assert done.exit_code == 0, done.output
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()
    engine.dispose()

"""Writing to the live server's database from a browser test: a unit of work of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from library.db import make_engine, make_session_factory
from library.settings import Settings
from library.uow import UnitOfWork


@contextmanager
def live_uow(live_instance: Path) -> Iterator[UnitOfWork]:
    """Open a unit of work on the live server's database (its engine disposed after)."""
    engine = make_engine(Settings.from_env({}, instance_dir=live_instance).sqlalchemy_url)
    try:
        with UnitOfWork(make_session_factory(engine)) as uow:
            yield uow
    finally:
        engine.dispose()

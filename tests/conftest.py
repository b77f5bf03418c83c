"""Fixtures shared by every tier: settings, databases (SQLite and PostgreSQL), units of work."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from library import migrate
from library.db import make_engine, make_session_factory
from library.models import Base
from library.settings import Settings
from library.uow import UnitOfWork

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_BASE_URL = os.environ.get(
    "PUSTAKA_TEST_POSTGRES_URL", f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/test"
)
TIERS = ("unit", "integration", "functional", "browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier, taken from the folder it lives in."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        for tier in TIERS:
            if tier in parts:
                item.add_marker(getattr(pytest.mark, tier))


def port_open(host: str, port: int) -> bool:
    """Tell whether a server answers on a TCP port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def postgres_reachable() -> bool:
    """Tell whether the PostgreSQL server answers on its port."""
    return port_open(PG_HOST, PG_PORT)


def redis_reachable() -> bool:
    """Tell whether the Redis server answers on its port."""
    return port_open("127.0.0.1", 6379)


def require_service(name: str, reachable: bool) -> None:
    """Skip when a service is absent, but fail in CI, where it must be there."""
    if reachable:
        return
    message = f"{name} is not reachable on this machine"
    if os.environ.get("CI"):
        pytest.fail(f"{message}, and CI must run these tests")
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """Create a private, migrated schema in the test database for this test session."""
    require_service("PostgreSQL", postgres_reachable())
    schema = f"pustaka_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_BASE_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_BASE_URL}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate one SQLite database that each test then copies."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _truncate_all(engine: Engine) -> None:
    """Empty every table (PostgreSQL tests share one schema per session)."""
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty, migrated database of each kind, isolated per test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "pustaka.sqlite3"
        target.write_bytes(template.read_bytes())
        yield f"sqlite:///{target}"
        return
    url = request.getfixturevalue("postgres_schema_url")
    yield url
    engine = make_engine(url)
    _truncate_all(engine)
    engine.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """Yield an engine on the test's database."""
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    """Return a unit of work on the test's database (not yet opened)."""
    return UnitOfWork(make_session_factory(engine))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Return settings whose instance folder is private to the test."""
    return Settings.from_env({}, instance_dir=tmp_path / "instance")

"""Fixtures shared by every tier: settings, databases (SQLite and PostgreSQL), units of work."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import coverage
import pytest
from sqlalchemy import Engine, text

import catalog_data
from library import migrate
from library.accounts import passwords
from library.db import make_engine, make_session_factory
from library.models import Base
from library.settings import Settings
from library.subjects.vocabulary import load_missing_subjects
from library.uow import UnitOfWork
from tests import shared_dialects
from watermark.pdf.mupdf import load_pymupdf

# The web apps and runtimes tests make, and their closing (tests/app_fixtures.py).
pytest_plugins = ["tests.app_fixtures"]
shared_dialects.install()  # each test's new engine compiles no statement an earlier one compiled
# PyMuPDF without its layout add-ons (ONNX models), as the engine loads it: the test modules'
# own `import pymupdf` then finds it loaded (0.35 s of CPU a test process instead of 1.7 s).
load_pymupdf()
PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_BASE_URL = os.environ.get(
    "PUSTAKA_TEST_POSTGRES_URL", f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/test"
)
# The PostgreSQL search engine's tables (children first): made by migration 0025, not models.
SEARCH_TABLES = ("fts_answer", "fts_lexicon", "fts_term", "fts_page", "fts_publication")
TIERS = ("unit", "integration", "functional", "browser")
# The tests' SMTP servers (aiosmtpd) note each connection's end at INFO, from their own thread,
# past pytest's capture: on Python 3.12 every sent email printed three lines into the run's output.
logging.getLogger("mail.log").setLevel(logging.WARNING)
QUICK_SCRYPT_N = 2**4  # scrypt's smallest: 16 KiB, 0.05 ms a hash (2**12 took 8 ms)
PRODUCTION_SCRYPT_N = passwords._N  # read before any test changes it


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier, taken from the folder it lives in; order the modules.

    A test's PostgreSQL run is not traced for coverage (`no_cover`): it runs the code its
    SQLite run traces, and tracing costs about a third more time. Nor is a `slow` test (a walk
    of every route, every migration over data, a search index under threads): tracing doubles
    its time (the hostile walk as a reader: 10 s against 20 s), and quicker tests trace the
    code it runs, which it proves right at a scale they do not. Nor is a browser test: the
    views, forms and templates it drives are traced by the functional tests through Flask's
    test client, and tracing the served app cost a browser module a third more time (84 s
    against 62 s for the queue board's). Their assertions all run.
    """
    for item in items:
        parts = Path(str(item.fspath)).parts
        for tier in TIERS:
            if tier in parts:
                item.add_marker(getattr(pytest.mark, tier))
        untraced = ("postgres", "slow")
        if any(item.get_closest_marker(m) is not None for m in untraced) or "browser" in parts:
            item.add_marker(pytest.mark.no_cover)
    items[:] = demo_builder_first(items)


DEMO_FIXTURES = frozenset({"demo_instance", "indexed_instance"})


def demo_builder_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """Order the modules so that one test process builds the demo while the others need none.

    pytest-xdist (`--dist loadscope`) hands modules out whole, in this order. The first module
    that needs the demo instance builds it (about a minute, with OCR); the integration modules
    that need no demo come right after it, so the other process runs them meanwhile instead of
    waiting on the build's lock. Within a module, and otherwise, the order is the collection's.
    """
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::", 1)[0], []).append(item)

    def needs_demo(module: list[pytest.Item]) -> bool:
        return any(DEMO_FIXTURES & set(getattr(item, "fixturenames", ())) for item in module)

    names = list(modules)
    first = next((i for i, name in enumerate(names) if needs_demo(modules[name])), None)
    if first is None:
        return items
    meanwhile = {
        name: None
        for name in names[first + 1 :]
        if "integration" in Path(name).parts and not needs_demo(modules[name])
    }
    rest = [name for name in names[first + 1 :] if name not in meanwhile]
    return [item for name in (*names[: first + 1], *meanwhile, *rest) for item in modules[name]]


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


@contextmanager
def postgres_schema(prefix: str, *, migrated: bool = True) -> Iterator[str]:
    """Create a schema of its own in the test database (migrated unless told); yield its URL, then drop it."""
    require_service("PostgreSQL", postgres_reachable())
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_BASE_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    # A commit does not wait for its WAL to reach the disk (0.2 against 0.5-1 ms here): nothing in a
    # test outlives a crash of the server, and what a commit makes visible is the same.
    url = f"{PG_BASE_URL}?options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    try:
        if migrated:
            engine = make_engine(url)
            migrate.upgrade(engine)
            engine.dispose()
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """Create a private, migrated schema in the test database for this test session."""
    with postgres_schema("pustaka_test") as url:
        yield url


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


# The reference data the migrations seed (the controlled subjects, migration 0043), children first.
SEEDED_TABLES = ("subject_alias", "subject_term", "subject_group")
_SEEDED_FINGERPRINT = " || ".join(
    f"(SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM {name} t)"
    for name in SEEDED_TABLES
)


def empty_all_tables(engine: Engine, *, keep: tuple[str, ...] = ()) -> None:
    """Empty every table but `keep` and restart every other id sequence (PostgreSQL tests share one schema).

    Plain DELETEs, children first, in one round trip: a TRUNCATE of every table takes ~120 ms
    even when they are nearly empty (and about a second on a busy machine); this takes a few.
    As a replica would (the test user is the server's superuser), the DELETEs fire no trigger:
    the ledgers' append-only guards refuse any DELETE, and a TRUNCATE never fired them either.
    The search engine's tables (migration 0025, not models) are emptied first.
    """
    tables = [*SEARCH_TABLES, *(t.name for t in reversed(Base.metadata.sorted_tables))]
    deletes = "; ".join(f'DELETE FROM "{name}"' for name in tables if name not in keep)
    kept_sequences = ", ".join(f"'{name}_id_seq'" for name in keep) or "''"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"SET LOCAL session_replication_role = replica; {deletes}")
        conn.exec_driver_sql(
            "SELECT setval(c.oid, 1, false) FROM pg_class c"
            " WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
            f" AND c.relname NOT IN ({kept_sequences})"
        )


def seeded_fingerprint(engine: Engine) -> str:
    """Return a digest of the seeded reference tables' rows (one query, a few milliseconds)."""
    with engine.connect() as conn:
        return str(conn.exec_driver_sql(f"SELECT {_SEEDED_FINGERPRINT}").scalar_one())


_pristine: dict[str, str] = {}  # a schema's URL -> the fingerprint of its reference data as seeded


def reset_postgres(engine: Engine, url: str) -> None:
    """Leave the shared schema as a fresh migration would: empty, but for the seeded reference data.

    Reloading the subjects costs ~70 ms, most of a reset: they are kept when no test changed
    them (their rows' digest is what it was after the last seeding), and reloaded otherwise.
    """
    if _pristine.get(url) == seeded_fingerprint(engine):
        empty_all_tables(engine, keep=SEEDED_TABLES)
        return
    empty_all_tables(engine)
    reseed(engine)
    _pristine[url] = seeded_fingerprint(engine)


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
    resetter: Engine = request.getfixturevalue("postgres_resetter")
    yield url
    reset_postgres(resetter, url)


@pytest.fixture(scope="session")
def postgres_resetter(postgres_schema_url: str) -> Iterator[Engine]:
    """One engine for every test's reset of the shared schema: a new engine's first connection costs 13 ms."""
    engine = make_engine(postgres_schema_url)
    yield engine
    engine.dispose()


def reseed(engine: Engine) -> None:
    """Put back the reference data the migrations seed (the controlled subjects, migration 0043).

    A SQLite test copies the migrated template, so it has them; a PostgreSQL test's schema is
    emptied after each test, so they are loaded again for the next one to find the same.
    """
    with UnitOfWork(make_session_factory(engine)) as uow:
        load_missing_subjects(uow, catalog_data.load_subjects())
        uow.commit()


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


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing() -> Iterator[None]:
    """Hash with small scrypt parameters everywhere (each hash records its own, so checks work).

    A real hash costs ~0.3 s and 128 MiB by design; the tests that prove that cost ask for
    `real_password_cost`.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_N", QUICK_SCRYPT_N)
        yield


@pytest.fixture
def real_password_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash with the production scrypt parameters in this test."""
    monkeypatch.setattr(passwords, "_N", PRODUCTION_SCRYPT_N)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on a file while the block runs (across test processes)."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_folder(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]
) -> Path:
    """Return a folder built once for the whole run, whichever test process asks first.

    Under pytest-xdist each worker is a session of its own; they share their base folder's
    parent, so the first to ask builds there (under a lock) and the others reuse its work.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "shared" / name
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _locked(folder.parent / f"{name}.lock"):
        done = folder.parent / f"{name}.built"
        if not done.exists():
            if folder.exists():
                shutil.rmtree(folder)  # a build that failed half-way
            with untraced():
                build(folder)
            done.touch()
    return folder


@contextmanager
def untraced() -> Iterator[None]:
    """Pause coverage while the block runs (a shared build: the demo taken in, with OCR).

    The ingest and index tests trace that code; traced, the run's one demo build took twice as
    long, while every test that needs it waited.
    """
    measuring = coverage.Coverage.current()
    if measuring is None:
        yield
        return
    measuring.stop()
    try:
        yield
    finally:
        measuring.start()


def _built_demo(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """Return the run's one demo instance, built by whichever test process asks first."""
    from tests.demo_fixtures import build_demo_instance

    return shared_folder(tmp_path_factory, "demo", lambda root: build_demo_instance(root, sqlite_template))


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """Return this test process's copy of an instance with the offices and a demo sample.

    The demo is taken in (with OCR for its scan) once for the whole run; each process copies
    it once, and each test clones that copy (`tests.demo_fixtures.clone_instance`).
    """
    from tests.demo_fixtures import copy_instance

    return copy_instance(
        _built_demo(tmp_path_factory, sqlite_template), tmp_path_factory.mktemp("demo") / "instance"
    )


@pytest.fixture(scope="session")
def indexed_instance(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """Return this test process's copy of the demo instance with its publications indexed."""
    from tests.demo_fixtures import copy_instance, index_instance

    def build(root: Path) -> None:
        index_instance(copy_instance(_built_demo(tmp_path_factory, sqlite_template), root))

    built = shared_folder(tmp_path_factory, "indexed", build)
    return copy_instance(built, tmp_path_factory.mktemp("indexed") / "instance")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Return settings whose instance folder is private to the test."""
    return Settings.from_env({}, instance_dir=tmp_path / "instance")

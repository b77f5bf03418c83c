"""`pustaka move` takes the demo instance onto another database (PostgreSQL, or SQLite) and file store."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import Engine, text

import library.moving.copying
from cli import main
from library.db import make_engine
from library.filestore import FileStore
from library.models import AccessLevel
from library.moving.copying import SEEDED, count_rows, file_sha256, moved_tables
from library.settings import Settings
from runtime.root import Runtime
from tests.conftest import postgres_schema
from tests.demo_fixtures import clone_instance
from tests.functional.accounts.helpers import make_person, sign_in, submit
from tests.functional.softcopy.helpers import ask, publication_id


@pytest.fixture
def source(demo_instance: Path, tmp_path: Path) -> Settings:
    """Return the settings of a copy of the demo instance, its search index not built yet."""
    instance = clone_instance(demo_instance, tmp_path / "instance")
    shutil.rmtree(instance / "search", ignore_errors=True)  # the move builds the target's
    return Settings.from_env({}, instance_dir=instance)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database the move migrates: another SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'target' / 'pustaka.sqlite3'}"
        return
    with postgres_schema("pustaka_move", migrated=False) as url:
        yield url


@pytest.fixture
def postgres_target() -> Iterator[str]:
    """Yield the URL of an empty PostgreSQL schema of its own."""
    with postgres_schema("pustaka_move", migrated=False) as url:
        yield url


@pytest.fixture
def target_engine(target_url: str) -> Iterator[Engine]:
    """Yield an engine on the target schema."""
    engine = make_engine(target_url)
    yield engine
    engine.dispose()


def move(settings: Settings, url: str, files: Path, *more: str, input: str | None = None) -> Result:
    """Run `pustaka move` on an instance (answering its prompt with `input`)."""
    args = ["move", "--to-database", url, "--to-files", str(files), *more]
    return CliRunner().invoke(main, args, obj=Runtime(settings), input=input)


def test_the_demo_moves_with_every_row_and_file_and_serves_a_search_and_a_download(
    source: Settings, target_url: str, target_engine: Engine, tmp_path: Path, make_app: Callable[..., Flask]
) -> None:
    shared, keys = tmp_path / "shared-files", tmp_path / "keys"
    moved = move(source, target_url, shared, "--to-secrets", str(keys))
    assert moved.exit_code == 0, moved.output

    source_engine = make_engine(source.sqlalchemy_url)
    tables = moved_tables(source_engine)
    before = count_rows(source_engine, tables)
    source_engine.dispose()
    assert sum(before.values()) > 0
    assert count_rows(target_engine, tables) == before
    old, new = FileStore(source.files_path), FileStore(shared)
    digests = sorted(old.digests())
    assert digests and sorted(new.digests()) == digests
    assert all(file_sha256(new, digest) == digest for digest in digests)
    inks = sorted(p.relative_to(old.root) for p in old.root.rglob("*.ink"))  # a cache, copied too
    assert inks and sorted(p.relative_to(new.root) for p in new.root.rglob("*.ink")) == inks
    for name in ("secret_key", "delivery_key"):
        assert (keys / name).read_bytes() == (source.secrets_path / name).read_bytes()
    # What it printed: the counts and the files' checksum, before and after, the same.
    checksums = re.findall(r"files: (\d+), (\d+) bytes, checksum ([0-9a-f]{64})", moved.output)
    assert len(checksums) == 2 and checksums[0] == checksums[1]

    where = {"database_url": target_url, "files_dir": str(shared), "secrets_dir": str(keys)}
    app = make_app(instance_dir=source.instance_path, **where)
    app.extensions["pustaka"].jobs.immediate = True  # the copy is made in the request, as a worker would
    client = app.test_client()
    found = client.get("/cari/?q=penduduk")
    assert re.search(r'id="results-count"[^>]*>\s*[1-9]\d* publikasi', found.get_data(as_text=True))
    sign_in(client, make_person(app, "ani@example.id", name="Ani Suryani"))
    number = re.search(r"PS-\d{8}-\d{5}", ask(client, publication_id(app, AccessLevel.OPEN)).location)
    assert number, "no request number"
    got = submit(client, f"/permintaan/{number[0]}/unduh", {}, form_page=f"/permintaan/{number[0]}")
    data = got.get_data()
    got.close()
    assert got.status_code == 200 and data.startswith(b"%PDF")
    app.extensions["pustaka"].close()


@pytest.mark.postgres
def test_every_id_sequence_on_the_target_continues_after_the_highest_moved_id(
    source: Settings, postgres_target: str, tmp_path: Path
) -> None:
    assert move(source, postgres_target, tmp_path / "shared").exit_code == 0
    checked = 0
    target_engine = make_engine(postgres_target)
    with target_engine.begin() as conn:
        for table in moved_tables(target_engine):
            if "id" not in table.c or len(table.primary_key.columns) != 1:
                continue
            sequence = conn.scalar(text(f"SELECT pg_get_serial_sequence('\"{table.name}\"', 'id')"))
            highest = conn.scalar(text(f'SELECT MAX(id) FROM "{table.name}"'))
            if sequence and highest:
                assert conn.scalar(text("SELECT nextval(:s)"), {"s": sequence}) > highest, table.name
                checked += 1
    target_engine.dispose()
    assert checked >= 5


def test_a_move_that_fails_half_way_keeps_no_row_and_runs_again_to_the_end(
    source: Settings, target_url: str, target_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = library.moving.copying._copy_table

    def fail_at_page_texts(reading, writing, table, progress):  # type: ignore[no-untyped-def]
        if table.name == "page_text":
            raise OSError(28, "No space left on device")
        real(reading, writing, table, progress)

    monkeypatch.setattr(library.moving.copying, "_copy_table", fail_at_page_texts)
    failed = move(source, target_url, tmp_path / "shared")
    assert failed.exit_code != 0
    assert "Traceback" not in failed.output
    tables = moved_tables(target_engine)
    kept = count_rows(target_engine, tables)
    assert not any(count for name, count in kept.items() if name not in SEEDED)  # its own subjects stay

    monkeypatch.setattr(library.moving.copying, "_copy_table", real)
    again = move(source, target_url, tmp_path / "shared")
    assert again.exit_code == 0, again.output
    assert re.search(r"Files: 0 copied, [1-9]\d* already there", again.output)


def test_a_target_holding_other_rows_is_refused_and_left_as_it_was(
    source: Settings, target_url: str, target_engine: Engine, tmp_path: Path
) -> None:
    assert move(source, target_url, tmp_path / "shared").exit_code == 0
    with target_engine.begin() as conn:
        conn.execute(text("DELETE FROM rate_limit_hit"))
        first = "(SELECT MIN(id) FROM publication)"
        conn.execute(text(f"UPDATE publication SET title = 'Diubah' WHERE id = {first}"))
        conn.execute(text("DELETE FROM search_term"))
        conn.execute(text("DELETE FROM hidden_search_term"))
        conn.execute(text("DELETE FROM holding WHERE id = (SELECT MIN(id) FROM holding)"))
    refused = move(source, target_url, tmp_path / "shared")
    assert refused.exit_code == 1
    assert "already holds rows" in refused.output
    with target_engine.connect() as conn:
        assert conn.scalar(text("SELECT title FROM publication ORDER BY id LIMIT 1")) == "Diubah"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to-database", "not a url", "--to-files", "{tmp}/f"], "not a database URL"),
        (["--to-database", "{own}", "--to-files", "{tmp}/f"], "this instance's own database"),
        (["--to-database", "sqlite:///{tmp}/t.sqlite3", "--to-files", "{files}"], "own file store"),
        (
            ["--to-database", "postgresql://u:geheim99@db/x", "--to-files", "{tmp}/f"],
            "holds a password",
        ),
    ],
)
def test_a_target_that_is_no_target_is_refused_with_a_clear_message(
    source: Settings, tmp_path: Path, args: list[str], message: str
) -> None:
    words = [a.format(tmp=tmp_path, own=source.sqlalchemy_url, files=source.files_path) for a in args]
    result = CliRunner().invoke(main, ["move", *words], obj=Runtime(source))
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output and "geheim99" not in result.output


def test_the_target_password_asked_for_is_used_and_never_printed(
    source: Settings, target_url: str, tmp_path: Path
) -> None:
    result = move(source, target_url, tmp_path / "shared", "--password-prompt", input="rahasia-sekali\n")
    assert result.exit_code == 0, result.output
    assert "rahasia-sekali" not in result.output and "(with its password)" in result.output


def test_a_keys_folder_holding_other_keys_is_refused_before_anything_is_copied(
    source: Settings, target_url: str, target_engine: Engine, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "delivery_key").write_text("f" * 64)
    (keys / "delivery_key").chmod(0o600)
    Runtime(source).delivery_key  # noqa: B018 - the instance's own key, made on first use
    result = move(source, target_url, tmp_path / "shared", "--to-secrets", str(keys))
    assert result.exit_code == 1
    assert "another key" in result.output
    assert not (tmp_path / "shared").exists()
    assert "page_text" not in {t.name for t in moved_tables(target_engine)}


def test_an_instance_whose_queue_still_holds_jobs_is_not_moved(
    source: Settings, target_url: str, target_engine: Engine, tmp_path: Path
) -> None:
    waiting = Runtime(source)
    waiting.jobs.index(1)  # queued, not run: no job process consumes this instance's queue
    waiting.close()
    result = move(source, target_url, tmp_path / "shared")
    assert result.exit_code == 1
    assert "1 job(s) still wait" in result.output
    assert not (tmp_path / "shared").exists()

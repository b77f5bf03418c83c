"""`pustaka backup` and `restore`: wiped and restored, a copy delivered before is traced and verified again.

On SQLite (SQLite's online backup API) and PostgreSQL (pg_dump), with the file store and the keys,
every file checked against the backup's manifest before anything is replaced.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import main
from library.db import make_engine
from library.settings import Settings
from runtime.root import Runtime
from tests.conftest import empty_all_tables
from tests.integration.cli.test_cli import load_three


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings.from_env({}, instance_dir=tmp_path / "instance", database_url=database_url)


@pytest.fixture
def run(settings: Settings):
    """Run the CLI on the test's instance."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), obj=Runtime(settings))

    return invoke


def wipe(settings: Settings) -> None:
    """Lose the instance: its database, file store, keys and search index."""
    if settings.database_url.startswith("postgresql"):
        engine = make_engine(settings.database_url)
        empty_all_tables(engine)
        engine.dispose()
    else:
        Path(settings.sqlalchemy_url.removeprefix("sqlite:///")).unlink()
    shutil.rmtree(settings.instance_path)


def delivered_copy(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Load three publications and deliver a stamped copy of one; return the copy."""
    load_three(run, monkeypatch)
    out = tmp_path / "copy.pdf"
    done = run(
        "deliver", "--publication", "1", "--name", "Putu Ayu", "--email", "putu@example.id", "--out", str(out)
    )
    assert done.exit_code == 0, done.output
    return out


def test_a_restored_backup_traces_a_copy_delivered_before_it(
    run, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    copy = delivered_copy(run, monkeypatch, tmp_path)
    backed = run("backup", str(tmp_path / "backup"))
    assert backed.exit_code == 0, backed.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert {"secrets/secret_key", "secrets/delivery_key"} <= set(manifest["files"])
    wipe(settings)
    restored = run("restore", str(tmp_path / "backup"))
    assert restored.exit_code == 0, restored.output
    assert "3 publications indexed" in restored.output
    traced = run("trace", str(copy))
    assert traced.exit_code == 0, traced.output
    assert "This file is exactly delivery" in traced.output and "Putu Ayu" in traced.output


def test_a_damaged_or_incomplete_backup_is_refused_and_nothing_is_replaced(
    run, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    delivered_copy(run, monkeypatch, tmp_path)
    assert run("backup", str(tmp_path / "backup")).exit_code == 0
    wipe(settings)
    key = tmp_path / "backup" / "secrets" / "delivery_key"
    saved = key.read_bytes()
    key.unlink()
    refused = run("restore", str(tmp_path / "backup"))
    assert refused.exit_code == 1 and "secrets/delivery_key is missing" in refused.output
    key.write_bytes(saved[:-1] + (b"1" if saved.endswith(b"0") else b"0"))  # one character altered
    refused = run("restore", str(tmp_path / "backup"))
    assert refused.exit_code == 1 and "secrets/delivery_key differs from the manifest" in refused.output
    assert not (settings.secrets_path / "delivery_key").exists()
    (tmp_path / "backup" / "manifest.json").unlink()
    assert "not a finished Pustaka backup" in run("restore", str(tmp_path / "backup")).output


def test_restoring_over_an_instance_with_data_needs_replace(
    run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    delivered_copy(run, monkeypatch, tmp_path)
    assert run("backup", str(tmp_path / "backup")).exit_code == 0
    refused = run("restore", str(tmp_path / "backup"))
    assert refused.exit_code == 1 and "already holds data" in refused.output
    assert run("restore", "--replace", str(tmp_path / "backup")).exit_code == 0


def test_a_backup_goes_only_into_a_new_folder(run, tmp_path: Path) -> None:
    assert run("db", "upgrade").exit_code == 0
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")
    refused = run("backup", str(tmp_path / "used"))
    assert refused.exit_code == 1 and "not empty" in refused.output


def test_a_lost_delivery_key_is_an_error_never_made_anew_while_the_ledger_has_deliveries(
    run, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    copy = delivered_copy(run, monkeypatch, tmp_path)
    (settings.secrets_path / "delivery_key").unlink()
    checked = run("check")
    assert (
        "delivery key" in checked.output and "is missing, yet the ledger names 1 deliveries" in checked.output
    )
    traced = run("trace", str(copy))
    assert traced.exit_code == 1 and "Put the key back from a backup" in traced.output
    assert not (settings.secrets_path / "delivery_key").exists()

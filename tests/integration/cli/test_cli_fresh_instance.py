"""A fresh instance: `db upgrade` brings the offices, `ingest` then works, no command prints a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import catalog_data
from cli import main
from cli.guard import EXIT_UNEXPECTED, LOG_NAME
from library.models import Office, Publication
from library.settings import Settings
from runtime.root import Runtime
from tests.integration.library.pdf_helpers import tiny_pdf


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings.from_env({}, instance_dir=tmp_path / "instance", database_url=database_url)


@pytest.fixture
def run(settings: Settings):
    """Run the CLI on the test's instance, as `pustaka ARGS` would."""

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), obj=Runtime(settings))

    return invoke


def count(settings: Settings, model) -> int:
    rt = Runtime(settings)
    with rt.uow() as uow:
        value = uow.session.scalar(select(func.count()).select_from(model)) or 0
    rt.close()
    return value


def test_db_upgrade_loads_the_offices_on_a_fresh_database(run, settings: Settings) -> None:
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    expected = len(catalog_data.load_offices())
    assert f"Loaded {expected} offices" in result.output
    assert count(settings, Office) == expected


def test_a_second_db_upgrade_loads_no_office_twice(run, settings: Settings) -> None:
    run("db", "upgrade")
    again = run("db", "upgrade")
    assert again.exit_code == 0
    assert "Loaded" not in again.output
    assert count(settings, Office) == len(catalog_data.load_offices())


def test_ingest_right_after_db_upgrade_on_a_fresh_instance_makes_the_publication(
    run, settings: Settings, tmp_path: Path
) -> None:
    pdf = tmp_path / "statistik.pdf"
    pdf.write_bytes(tiny_pdf("Statistik Daerah Kota Metro 2024"))
    assert run("db", "upgrade").exit_code == 0
    result = run("ingest", str(pdf))
    assert result.exit_code == 0, result.output
    assert "1 ingested, 0 skipped, 0 failed." in result.output
    assert count(settings, Publication) == 1


def test_an_unexpected_error_is_one_line_with_exit_code_70_and_a_log_of_the_details(
    run, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(rt: Runtime) -> int:
        raise ZeroDivisionError("division by zero\nsecond line of detail")

    monkeypatch.setattr("cli.database.upgrade_database", broken)
    result = run("db", "upgrade")
    log = settings.instance_path / "logs" / LOG_NAME
    assert result.exit_code == EXIT_UNEXPECTED
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines() == [
        f"Error: the command stopped on an unexpected error (ZeroDivisionError: division by zero); "
        f"the details are in {log}."
    ]
    details = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in details and "second line of detail" in details


def test_a_database_error_is_one_line_without_the_sql(run, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(rt: Runtime) -> int:
        raise IntegrityError("INSERT INTO publication VALUES (?)", (None,), Exception("NOT NULL failed"))

    monkeypatch.setattr("cli.database.upgrade_database", broken)
    result = run("db", "upgrade")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["Error: Database error: IntegrityError: NOT NULL failed"]


@pytest.mark.parametrize(
    "command", [["ingest", "x.pdf"], ["users", "list"], ["search", "padi"], ["trace", "x.pdf"]]
)
def test_a_command_where_no_instance_is_refuses_naming_the_settings_it_looked_for(
    tmp_path: Path, command: list[str]
) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "nowhere")
    result = CliRunner().invoke(main, command, obj=Runtime(settings))
    assert result.exit_code == 1
    assert "There is no Pustaka instance here" in result.output and "PUSTAKA_DATABASE_URL" in result.output
    assert str(tmp_path / "nowhere") in result.output
    assert not (tmp_path / "nowhere" / "pustaka.sqlite3").exists()


def test_help_of_a_command_needs_no_instance(tmp_path: Path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "nowhere")
    assert CliRunner().invoke(main, ["ingest", "--help"], obj=Runtime(settings)).exit_code == 0

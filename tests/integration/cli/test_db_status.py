"""`pustaka db status` on a database an older release left: what an upgrade will run, then that it did.

The demo instance is taken back to schema 0026 (the release an office upgraded from in issue 74)
as `pustaka db downgrade` does; status names every migration up to the head in order, those
that rewrite data as such, and the search index rebuild the upgrade then runs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from cli import main
from cli.db_status import NEWER, PENDING, UNREADABLE, UP_TO_DATE
from library import migrate
from library.db import make_engine
from library.operations.upgrade_plan import steps
from library.settings import Settings
from runtime.root import Runtime
from tests.demo_fixtures import clone_instance
from tests.integration.library.mail.test_mail import free_port

OLD = "0026"


@pytest.fixture
def settings(indexed_instance: Path, tmp_path: Path) -> Settings:
    """Return the settings of a copy of the indexed demo instance, its schema taken back to 0026."""
    root = clone_instance(indexed_instance, tmp_path / "instance")
    settings = Settings.from_env({}, instance_dir=root)
    engine = make_engine(settings.sqlalchemy_url)
    migrate.downgrade(engine, OLD)
    engine.dispose()
    return settings


def pustaka(settings: Settings, *args: str) -> Result:
    """Run `pustaka ARGS` on the instance, in a runtime of its own (as a command run from a shell)."""
    rt = Runtime(settings)
    try:
        return CliRunner().invoke(main, list(args), obj=rt)
    finally:
        rt.close()


def listed(output: str) -> list[str]:
    """Return the revisions status lists as migrations to run, in its order."""
    return re.findall(r"^  (\d{4})  \S", output, flags=re.M)


def test_status_lists_every_migration_an_upgrade_runs_in_order_and_names_those_that_rewrite_data(
    settings: Settings,
) -> None:
    status = pustaka(settings, "db", "status")
    assert status.exit_code == PENDING, status.output
    head = migrate.head_revision()
    assert f"Database schema: {OLD}" in status.output and f"schema {head}" in status.output
    expected = [step.revision for step in steps(OLD, "sqlite")]
    assert listed(status.output) == expected and expected[0] == "0027" and expected[-1] == head
    assert "0029  Draft publications\n        rewrites data (may take long on large data): Publishes" in (
        status.output
    )
    assert "0035  Anonymous readers of open publications in the reading ledger\n" in status.output
    # 0034 copies a table on SQLite
    assert "Rewriting data: 0027, 0029, 0033, 0034, 0040, 0041, 0042, 0043, 0045, 0046;" in status.output
    on_postgresql = {step.revision: step.rewrites for step in steps(OLD, "postgresql")}
    assert (
        not on_postgresql["0042"] and not on_postgresql["0044"] and steps("0024", "sqlite")[0].rewrites == ""
    )
    assert "The search index is kept as it is." in status.output


def test_status_says_the_upgrade_rebuilds_an_index_it_will_rebuild_and_then_reports_nothing_to_do(
    settings: Settings,
) -> None:
    shutil.rmtree(settings.instance_path / "search")  # as after a restore, or search moved engine
    status = pustaka(settings, "db", "status")
    assert status.exit_code == PENDING, status.output
    found = re.search(
        r"rebuilds the search index before the site starts \(the index holds no "
        r"publication\): (\d+) publications, [\d,]+ pages of text",
        status.output,
    )
    assert found, status.output
    upgraded = pustaka(settings, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert f"{found[1]} publications indexed" in upgraded.output  # what status foretold
    after = pustaka(settings, "db", "status")
    assert after.exit_code == UP_TO_DATE, after.output
    assert "up to date" in after.output and not listed(after.output)


def test_status_tells_a_database_newer_than_the_code_apart(settings: Settings) -> None:
    engine = make_engine(settings.sqlalchemy_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    status = pustaka(settings, "db", "status")
    assert status.exit_code == NEWER, status.output
    assert "newer than this code" in status.output and "pustaka db downgrade" in status.output


def test_status_on_a_database_it_cannot_reach_exits_3_with_one_line(tmp_path: Path) -> None:
    closed = f"postgresql+psycopg://pustaka@127.0.0.1:{free_port()}/pustaka"  # nothing listens there
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance", database_url=closed)
    status = pustaka(settings, "db", "status")
    assert status.exit_code == UNREADABLE, status.output
    assert "The database cannot be read" in status.output and "Traceback" not in status.output

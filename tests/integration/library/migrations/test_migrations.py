"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from library import migrate
from library.db import make_engine
from library.models import Base
from tests.conftest import SEARCH_TABLES


def test_the_migrated_schema_matches_the_models(engine: Engine) -> None:
    def modelled(name: str | None, kind: str, _parents: object) -> bool:
        # the search engine's, not models (its version row, 0049, outlives the tests' emptying)
        return not (kind == "table" and name in (*SEARCH_TABLES, "fts_version"))

    with engine.connect() as conn:
        opts = {"compare_type": True, "include_name": modelled}
        context = MigrationContext.configure(conn, opts=opts)
        assert compare_metadata(context, Base.metadata) == []


def test_the_database_is_at_the_newest_revision(engine: Engine) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert migrate.is_up_to_date(engine)


def test_upgrading_twice_changes_nothing(engine: Engine) -> None:
    before = sorted(inspect(engine).get_table_names())
    migrate.upgrade(engine)
    assert sorted(inspect(engine).get_table_names()) == before


def test_an_empty_sqlite_database_reports_no_revision_until_upgraded(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -1024  # KiB: 1 MB, not 2
    engine.dispose()


def test_downgrading_to_nothing_and_back_works(engine: Engine) -> None:
    from alembic import command

    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)


def test_the_head_read_from_the_scripts_is_alembics_and_an_older_schema_is_out_of_date(tmp_path) -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    head = scripts.get_revision(migrate.head_revision())
    assert head.revision == scripts.get_current_head()
    engine = make_engine(f"sqlite:///{tmp_path / 'behind.sqlite3'}")
    assert not migrate.is_up_to_date(engine)  # no schema at all
    migrate.upgrade(engine, head.down_revision)
    assert not migrate.is_up_to_date(engine)
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)
    engine.dispose()

"""Migration 0025 makes the search engine's tables on PostgreSQL only, and takes them away again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect

from library import migrate
from tests.conftest import SEARCH_TABLES


def search_tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) & set(SEARCH_TABLES)


def test_postgresql_gets_the_search_tables_and_sqlite_none(engine: Engine) -> None:
    expected = set(SEARCH_TABLES) if engine.dialect.name == "postgresql" else set()
    assert search_tables(engine) == expected


def test_going_back_before_0025_drops_them_and_upgrading_makes_them_again(engine: Engine) -> None:
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0024")
    assert search_tables(engine) == set()
    migrate.upgrade(engine)
    assert search_tables(engine) == (set(SEARCH_TABLES) if engine.dialect.name == "postgresql" else set())

"""Migrations 0025 and 0026 make the search tables and indexes on PostgreSQL only, and take them away."""

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


def publication_indexes(engine: Engine) -> set[str]:
    inspector = inspect(engine)
    if "fts_publication" not in inspector.get_table_names():
        return set()
    return {index["name"] for index in inspector.get_indexes("fts_publication")}


def test_0026_indexes_the_facets_on_postgresql_and_going_back_to_0025_drops_the_index(engine: Engine) -> None:
    made = {"fts_publication_facets"} if engine.dialect.name == "postgresql" else set()
    assert publication_indexes(engine) & {"fts_publication_facets"} == made
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0025")
    assert "fts_publication_facets" not in publication_indexes(engine)
    assert search_tables(engine) == (set(SEARCH_TABLES) if engine.dialect.name == "postgresql" else set())
    migrate.upgrade(engine)
    assert publication_indexes(engine) & {"fts_publication_facets"} == made

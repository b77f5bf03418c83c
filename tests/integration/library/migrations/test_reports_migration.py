"""Migration 0016: the office head's role, and the table of search terms counted per day."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from library import migrate
from tests.integration.library.migration_helpers import insert_row


def migrate_to(engine: Engine, revision: str, down: bool = False) -> None:
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def give_role(engine: Engine, user_id: int, role: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO user_role (user_id, role) VALUES (:u, :r)"), {"u": user_id, "r": role})


def roles(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(text("SELECT role FROM user_role")).scalars())


def test_the_office_head_role_exists_from_0016_and_other_roles_are_kept(engine: Engine) -> None:
    migrate_to(engine, "0015", down=True)
    head = insert_row(engine, "user_account", email="kepala@bps.go.id", name="Kepala", active=True)
    give_role(engine, head, "admin")
    with pytest.raises(IntegrityError):
        give_role(engine, head, "office_head")
    migrate_to(engine, "head")
    give_role(engine, head, "office_head")
    assert roles(engine) == ["admin", "office_head"]


def test_going_back_to_0015_takes_the_role_away_and_drops_the_search_counts(engine: Engine) -> None:
    head = insert_row(engine, "user_account", email="kepala@bps.go.id", name="Kepala", active=True)
    give_role(engine, head, "office_head")
    give_role(engine, head, "librarian")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO search_term (office_code, day, term, searches) VALUES ('1872', :d, 'inflasi', 3)"
            ),
            {"d": dt.date(2026, 11, 23)},
        )
    migrate_to(engine, "0015", down=True)
    assert roles(engine) == ["librarian"]
    assert "search_term" not in inspect(engine).get_table_names()
    migrate_to(engine, "head")
    assert migrate.is_up_to_date(engine)


def test_a_search_is_counted_at_least_once(engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text("INSERT INTO search_term (office_code, day, term, searches) VALUES ('1872', :d, 'x', 0)"),
            {"d": dt.date(2026, 11, 23)},
        )

"""Migration 0020: the knowledge base's table, its status check and its link to a consultation."""

from __future__ import annotations

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


def people_and_consultation(engine: Engine) -> tuple[int, int]:
    user = insert_row(engine, "user_account", email="ani@example.id", name="Ani", active=True)
    office = insert_row(engine, "office", code="1872", name="BPS Kota Metro")
    return user, insert_row(
        engine, "consultation", number="KS-1", user_id=user, office_id=office, status="closed"
    )


def test_entries_have_a_known_status_and_outlive_their_consultation(engine: Engine) -> None:
    user, consultation = people_and_consultation(engine)
    entry = {"created_by": user, "edited_by": user, "title": "T", "answer": "A", "topic": "K"}
    kept = insert_row(engine, "knowledge_entry", status="published", consultation_id=consultation, **entry)
    with pytest.raises(IntegrityError):
        insert_row(engine, "knowledge_entry", status="hidden", **entry)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys = ON"))
        conn.execute(text("DELETE FROM consultation WHERE id = :id"), {"id": consultation})
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT status, consultation_id FROM knowledge_entry WHERE id = :id"), {"id": kept}
        ).one()
    assert tuple(row) == ("published", None)


def test_going_back_to_0019_drops_the_table_and_up_again_restores_it(engine: Engine) -> None:
    user, _ = people_and_consultation(engine)
    insert_row(engine, "knowledge_entry", status="draft", created_by=user, edited_by=user)
    migrate_to(engine, "0019", down=True)
    assert "knowledge_entry" not in inspect(engine).get_table_names()
    migrate_to(engine, "head")
    assert "knowledge_entry" in inspect(engine).get_table_names()
    assert migrate.is_up_to_date(engine)

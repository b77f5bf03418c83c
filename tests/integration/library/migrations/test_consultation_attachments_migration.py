"""Migration 0021: the attachments of consultations, with the question or with a message."""

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


def test_an_attachment_has_a_size_and_goes_with_its_message(engine: Engine) -> None:
    user = insert_row(engine, "user_account", email="ani@example.id", name="Ani", active=True)
    office = insert_row(engine, "office", code="1872", name="BPS Kota Metro")
    row = insert_row(engine, "consultation", number="KS-1", user_id=user, office_id=office, status="new")
    message = insert_row(engine, "consultation_message", consultation_id=row, author_id=user, body="Ini.")
    file = {"consultation_id": row, "uploaded_by": user, "sha256": "a" * 64, "media_type": "application/pdf"}
    insert_row(engine, "consultation_attachment", size_bytes=10, **file)  # with the question
    insert_row(engine, "consultation_attachment", size_bytes=10, message_id=message, **file)
    with pytest.raises(IntegrityError):
        insert_row(engine, "consultation_attachment", size_bytes=0, **file)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys = ON"))
        conn.execute(text("DELETE FROM consultation_message WHERE id = :id"), {"id": message})
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM consultation_attachment")).scalar_one() == 1


def test_going_back_to_0020_drops_the_table(engine: Engine) -> None:
    migrate_to(engine, "0020", down=True)
    assert "consultation_attachment" not in inspect(engine).get_table_names()
    migrate_to(engine, "head")
    assert migrate.is_up_to_date(engine)

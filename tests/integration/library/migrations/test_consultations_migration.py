"""Migration 0015 adds the consultation tables on both databases, and takes them away again."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import IntegrityError

from library import migrate
from tests.integration.library.migration_helpers import insert_row

TABLES = {"consultation", "consultation_event", "consultation_message"}


def migrate_to(engine: Engine, revision: str, down: bool = False) -> None:
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def consultation(engine: Engine, status: str = "new") -> int:
    office = insert_row(engine, "office", code=f"9{status[:3]}", name="BPS Kota Metro")
    user = insert_row(engine, "user_account", email=f"{status}@example.id", name="Ani")
    return insert_row(
        engine, "consultation", number=f"KS-{status}", user_id=user, office_id=office, status=status
    )


def test_a_consultation_and_its_thread_are_stored_and_an_unknown_status_is_refused(engine: Engine) -> None:
    row = consultation(engine)
    author = insert_row(engine, "user_account", email="budi@example.id", name="Budi")
    insert_row(engine, "consultation_message", consultation_id=row, author_id=author, body="Halo")
    insert_row(engine, "consultation_event", consultation_id=row, action="opened", status="new")
    with pytest.raises(IntegrityError):
        consultation(engine, status="lost")
    with pytest.raises(IntegrityError):
        insert_row(engine, "consultation_event", consultation_id=row, action="lost", status="new")


def test_downgrading_to_0014_drops_the_consultation_tables_and_keeps_the_survey(engine: Engine) -> None:
    consultation(engine)
    migrate_to(engine, "0014", down=True)
    names = set(inspect(engine).get_table_names())
    assert names.isdisjoint(TABLES)
    assert "survey_invitation" in names
    migrate_to(engine, "head")
    assert TABLES <= set(inspect(engine).get_table_names())

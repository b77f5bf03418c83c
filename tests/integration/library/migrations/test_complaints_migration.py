"""Migration 0018 adds the complaint tables on both databases, and takes them away again."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import IntegrityError

from library import migrate
from tests.integration.library.migration_helpers import insert_row

TABLES = {"complaint", "complaint_event", "complaint_attachment"}


def migrate_to(engine: Engine, revision: str, down: bool = False) -> None:
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def complaint(engine: Engine, code: str = "PGD-AAAA", **values: object) -> int:
    office = insert_row(engine, "office", code=code[-4:], name="BPS Kota Metro")
    fields = {"source": "web", "service": "library", "status": "new", **values}
    return insert_row(engine, "complaint", code=code, office_id=office, **fields)


def test_a_complaint_its_history_and_attachment_are_stored(engine: Engine) -> None:
    row = complaint(engine, element="U8")
    insert_row(engine, "complaint_event", complaint_id=row, action="filed", status="new")
    insert_row(
        engine,
        "complaint_attachment",
        complaint_id=row,
        position=1,
        sha256="a" * 64,
        media_type="image/png",
        size_bytes=3,
    )
    assert row > 0


@pytest.mark.parametrize(
    "values",
    [{"status": "lost"}, {"source": "pigeon"}, {"service": "bakery"}, {"element": "U10"}],
)
def test_an_unknown_status_source_service_or_element_is_refused(
    engine: Engine, values: dict[str, str]
) -> None:
    with pytest.raises(IntegrityError):
        complaint(engine, **values)


def test_an_unknown_action_in_the_history_is_refused(engine: Engine) -> None:
    row = complaint(engine)
    with pytest.raises(IntegrityError):
        insert_row(engine, "complaint_event", complaint_id=row, action="lost", status="new")


def test_downgrading_to_0017_drops_the_complaint_tables_and_keeps_the_appointments(engine: Engine) -> None:
    complaint(engine)
    migrate_to(engine, "0017", down=True)
    names = set(inspect(engine).get_table_names())
    assert names.isdisjoint(TABLES)
    assert {"search_term", "consultation_appointment"} <= names
    migrate_to(engine, "head")
    assert TABLES <= set(inspect(engine).get_table_names())

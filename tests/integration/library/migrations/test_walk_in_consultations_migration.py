"""Migration 0019: the consultant's record of a walk-in consultation, one per queue ticket."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from library import migrate
from tests.integration.library.migration_helpers import insert_row

NOW = dt.datetime(2026, 11, 23, 2, 0)


def migrate_to(engine: Engine, revision: str, down: bool = False) -> None:
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def a_ticket(engine: Engine) -> int:
    """Store an office, its consultation queue, a visit and its ticket; return the ticket's id."""
    office = insert_row(engine, "office", code="9999", name="BPS Uji", timezone="Asia/Jakarta")
    queue = insert_row(
        engine, "queue_service", office_id=office, code="consultation", letter="K", name="Konsultasi"
    )
    visit = insert_row(
        engine, "visit", office_id=office, status_token="t", channel="kiosk", name="Ani", day=NOW.date()
    )
    return insert_row(
        engine,
        "ticket",
        visit_id=visit,
        service_id=queue,
        day=NOW.date(),
        number=1,
        code="K-001",
        status="done",
        issued_at=NOW,
    )


def record(engine: Engine, ticket_id: int, referral: str = "library") -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO walk_in_consultation (ticket_id, topic, given, referral, recorded_at) "
                "VALUES (:t, 'Inflasi', '', :r, :at)"
            ),
            {"t": ticket_id, "r": referral, "at": NOW},
        )


def test_a_ticket_holds_one_record_with_a_known_referral(engine: Engine) -> None:
    ticket_id = a_ticket(engine)
    record(engine, ticket_id)
    with pytest.raises(IntegrityError):
        record(engine, ticket_id)
    other = insert_row(
        engine,
        "ticket",
        visit_id=insert_row(
            engine, "visit", office_id=1, status_token="u", channel="kiosk", name="Budi", day=NOW.date()
        ),
        service_id=1,
        day=NOW.date(),
        number=2,
        code="K-002",
        status="done",
        issued_at=NOW,
    )
    with pytest.raises(IntegrityError):
        record(engine, other, referral="kasir")


def test_going_back_to_0018_drops_the_records_and_keeps_the_tickets(engine: Engine) -> None:
    record(engine, a_ticket(engine))
    migrate_to(engine, "0018", down=True)
    assert "walk_in_consultation" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ticket")).scalar() == 1
    migrate_to(engine, "head")
    assert migrate.is_up_to_date(engine)

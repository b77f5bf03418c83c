"""Migration 0022: how a walk-in visitor's identity was checked, added without losing a ticket."""

from __future__ import annotations

from sqlalchemy import Engine, text

from tests.integration.library.migrations.test_walk_in_consultations_migration import a_ticket, migrate_to


def test_upgrading_keeps_every_visit_and_ticket_and_marks_the_visits_declared(engine: Engine) -> None:
    migrate_to(engine, "0021", down=True)
    a_ticket(engine)
    migrate_to(engine, "head")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ticket")).scalar() == 1
        visit = conn.execute(text("SELECT identity_check, email_code_salt FROM visit")).one()
        assert tuple(visit) == ("declared", "")


def test_going_back_to_0021_keeps_every_visit_and_ticket(engine: Engine) -> None:
    a_ticket(engine)
    migrate_to(engine, "0021", down=True)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ticket")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM visit")).scalar() == 1
    migrate_to(engine, "head")

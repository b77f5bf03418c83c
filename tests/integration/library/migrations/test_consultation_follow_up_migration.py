"""Migration 0017: reminders, the steps of silence, reopening and appointments, and their table."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from library import migrate
from tests.integration.library.migration_helpers import insert_row

HOUR = dt.timedelta(hours=1)


def migrate_to(engine: Engine, revision: str, down: bool = False) -> None:
    # As `pustaka db` migrates: on SQLite with foreign keys off, so a copied table drops no history.
    (migrate.downgrade if down else migrate.upgrade)(engine, revision)


def consultation(engine: Engine) -> int:
    user = insert_row(engine, "user_account", email="ani@example.id", name="Ani", active=True)
    office = insert_row(engine, "office", code="1872", name="BPS Kota Metro")
    return insert_row(engine, "consultation", number="KS-1", user_id=user, office_id=office, status="closed")


def actions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(text("SELECT action FROM consultation_event")).scalars())


def test_the_new_steps_are_refused_before_0017_and_stored_after(engine: Engine) -> None:
    migrate_to(engine, "0016", down=True)
    row = consultation(engine)
    assert "reminded_at" not in {c["name"] for c in inspect(engine).get_columns("consultation")}
    with pytest.raises(IntegrityError):
        insert_row(engine, "consultation_event", consultation_id=row, action="closed_silent", status="closed")
    migrate_to(engine, "head")
    for action in (
        "reminded",
        "closed_silent",
        "reopened",
        "appointment",
        "appointment_accepted",
        "another_time",
    ):
        insert_row(engine, "consultation_event", consultation_id=row, action=action, status="closed")
    assert "reminded_at" in {c["name"] for c in inspect(engine).get_columns("consultation")}
    with pytest.raises(IntegrityError):
        insert_row(engine, "consultation_event", consultation_id=row, action="lost", status="closed")


def test_going_back_to_0016_keeps_an_automatic_close_as_a_close(engine: Engine) -> None:
    row = consultation(engine)
    for action in ("answered", "reminded", "closed_silent", "reopened"):
        insert_row(engine, "consultation_event", consultation_id=row, action=action, status="answered")
    migrate_to(engine, "0016", down=True)
    assert actions(engine) == ["answered", "closed"]
    assert "reminded_at" not in {c["name"] for c in inspect(engine).get_columns("consultation")}
    assert "consultation_appointment" not in inspect(engine).get_table_names()
    migrate_to(engine, "head")
    assert migrate.is_up_to_date(engine)


def test_an_appointment_ends_after_it_starts_and_has_a_known_kind(engine: Engine) -> None:
    row = consultation(engine)
    author = insert_row(engine, "user_account", email="budi@example.id", name="Budi", active=True)
    start = dt.datetime(2026, 11, 25, 3, 0)
    good = {"consultation_id": row, "proposed_by": author, "status": "proposed", "place": "PST", "note": ""}
    insert_row(
        engine,
        "consultation_appointment",
        uid="a",
        kind="video",
        starts_at=start,
        ends_at=start + HOUR,
        **good,
    )
    for uid, kind, ends in [("b", "video", start), ("c", "phone", start + HOUR)]:
        with pytest.raises(IntegrityError):
            insert_row(
                engine, "consultation_appointment", uid=uid, kind=kind, starts_at=start, ends_at=ends, **good
            )

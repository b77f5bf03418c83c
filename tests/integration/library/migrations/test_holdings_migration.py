"""Migration 0008 keeps the printed holdings already recorded, read in the reading room only."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from library import migrate
from tests.integration.library.migration_helpers import store_publication


def migrate_to(engine: Engine, revision: str, down: bool = False) -> None:
    # As `pustaka db` migrates: on SQLite with foreign keys off, so a copied table drops no row.
    (migrate.downgrade if down else migrate.upgrade)(engine, revision)


def test_holdings_recorded_before_keep_their_shelf_as_location_and_stay_in_the_reading_room(
    engine: Engine,
) -> None:
    migrate_to(engine, "0007", down=True)
    pid = store_publication(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO holding (publication_id, call_number, shelf, copies) VALUES"
                " (:p, '310.598 MET k', 'R-A-01', 3), (:p, '310.598 MET k', 'Gudang', 0)"
            ),
            {"p": pid},
        )
    migrate_to(engine, "head")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT call_number, location, copies, reading_room_only, note FROM holding")
        ).all()
    assert [tuple(r) for r in rows] == [("310.598 MET k", "R-A-01", 3, True, "")]


def test_the_schema_refuses_a_holding_of_no_copies(engine: Engine) -> None:
    pid = store_publication(engine)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO holding (publication_id, call_number, location, copies) VALUES (:p, 'x', '', 0)"
            ),
            {"p": pid},
        )


def test_going_back_to_0007_keeps_the_holdings_with_their_shelf(engine: Engine) -> None:
    pid = store_publication(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO holding (publication_id, call_number, location, copies, reading_room_only, note)"
                " VALUES (:p, '310.598 MET k', :loc, 2, :f, 'Edisi revisi')"
            ),
            {"p": pid, "loc": "Ruang baca PST, rak 3 " + "x" * 150, "f": False},
        )
    migrate_to(engine, "0007", down=True)
    with engine.connect() as conn:
        (row,) = conn.execute(text("SELECT call_number, shelf, copies FROM holding")).all()
    assert row.call_number == "310.598 MET k" and row.copies == 2
    assert row.shelf.startswith("Ruang baca PST, rak 3") and len(row.shelf) == 100
    migrate_to(engine, "head")
    assert migrate.is_up_to_date(engine)

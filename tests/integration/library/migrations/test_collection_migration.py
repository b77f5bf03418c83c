"""Migration 0042: every printed copy already held becomes an item on the shelf, with a barcode."""

from __future__ import annotations

from sqlalchemy import Engine, text

from library import migrate
from tests.integration.library.migration_helpers import store_publication


def test_each_copy_of_each_holding_becomes_an_item_and_going_back_drops_them(engine: Engine) -> None:
    migrate.downgrade(engine, "0041")
    pid = store_publication(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO holding (publication_id, call_number, location, copies, reading_room_only, note)"
                " VALUES (:p, '310.598 MET k', 'Rak A', 2, true, ''),"
                " (:p, '330 MET p', 'Gudang', 1, false, '')"
            ),
            {"p": pid},
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        items = conn.execute(text("SELECT barcode, call_number, status FROM item ORDER BY barcode")).all()
        subjects = conn.execute(text("SELECT subject_id FROM publication")).scalars().all()
    assert [tuple(i) for i in items] == [
        ("B00000001", "310.598 MET k", "shelf"),
        ("B00000002", "310.598 MET k", "shelf"),
        ("B00000003", "330 MET p", "shelf"),
    ]
    assert subjects == [None]  # matched to the controlled subjects by the vocabulary, not here
    migrate.downgrade(engine, "0041")
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)

"""Migration 0045: each publication held gets "<prefix>/<its id>", the counter its highest number."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from library import migrate
from tests.integration.library.migration_helpers import insert_row, store_publication


def test_existing_publications_are_numbered_by_their_ids_and_going_back_drops_the_columns(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PUSTAKA_PID_PREFIX", raising=False)
    monkeypatch.setenv("PUSTAKA_OFFICE", "1871")
    migrate.downgrade(engine, "0043")
    first = store_publication(engine)
    second = insert_row(engine, "publication", key="q", title="Q", issuing_office_id=1, access_level="open")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, identifier FROM publication")).all())
        counters = conn.execute(text("SELECT prefix, last_number FROM identifier_counter")).all()
        dois = set(conn.execute(text("SELECT doi FROM publication")).scalars())
    assert rows == {first: f"bps1871/{first}", second: f"bps1871/{second}"}
    assert [tuple(c) for c in counters] == [("bps1871", max(first, second))]
    assert dois == {""}
    migrate.downgrade(engine, "0043")
    with engine.connect() as conn:
        columns = conn.execute(text("SELECT * FROM publication")).keys()
    assert "identifier" not in columns and "doi" not in columns
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)


def test_an_empty_database_gets_no_counter_so_a_move_brings_its_own(engine: Engine) -> None:
    migrate.downgrade(engine, "0043")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM identifier_counter")).scalar() == 0

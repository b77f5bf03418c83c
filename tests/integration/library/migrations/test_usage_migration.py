"""Migration 0047: the usage tables arrive empty, take events and daily figures, and go when downgraded."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from library import migrate
from tests.integration.library.migration_helpers import store_publication


def test_the_usage_tables_come_and_go(engine: Engine) -> None:
    migrate.downgrade(engine, "0046")
    assert not {"usage_event", "usage_day"} & set(inspect(engine).get_table_names())
    migrate.upgrade(engine)
    pid = store_publication(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO usage_event (at, publication_id, kind, session, page)"
                " VALUES ('2026-11-23 05:00:00', :p, 'view', 'abc', 0)"
            ),
            {"p": pid},
        )
        conn.execute(
            text(
                "INSERT INTO usage_day (publication_id, day, views, reads, pages, downloads, sessions)"
                " VALUES (:p, '2026-11-23', 1, 0, 0, 0, 0)"
            ),
            {"p": pid},
        )
    migrate.downgrade(engine, "0046")
    assert not {"usage_event", "usage_day"} & set(inspect(engine).get_table_names())
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)

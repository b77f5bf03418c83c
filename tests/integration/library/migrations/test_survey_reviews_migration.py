"""Migration 0033: answers set aside before it were set aside by rule; reviews go with a downgrade."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, inspect, text

from library import migrate
from tests.integration.library.migration_helpers import insert_row
from tests.integration.library.migrations.test_consultation_follow_up_migration import migrate_to


def test_an_answer_set_aside_before_is_set_aside_by_rule_and_a_downgrade_drops_the_reviews(
    engine: Engine,
) -> None:
    migrate_to(engine, "0032", down=True)
    office = insert_row(engine, "office", code="1872", name="BPS Kota Metro")
    for counted in (True, False):
        insert_row(
            engine,
            "survey_response",
            office_id=office,
            service="library",
            channel="visit",
            answered_on=dt.date(2026, 11, 23),
            counted=counted,
        )
    migrate_to(engine, "0033")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT counted, aside_by, doubts FROM survey_response ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(True, "", ""), (False, "rule", "")]
    migrate_to(engine, "0032", down=True)
    assert "survey_review" not in inspect(engine).get_table_names()
    migrate_to(engine, "head")
    assert migrate.is_up_to_date(engine)

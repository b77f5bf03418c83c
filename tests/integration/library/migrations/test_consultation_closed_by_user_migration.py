"""Migration 0034: the user's own close of a consultation in its history."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from library import migrate
from tests.integration.library.migration_helpers import insert_row
from tests.integration.library.migrations.test_consultation_follow_up_migration import (
    actions,
    consultation,
    migrate_to,
)


def test_a_close_by_the_user_is_stored_and_going_back_to_0033_keeps_it_as_a_close(engine: Engine) -> None:
    row = consultation(engine)
    insert_row(engine, "consultation_event", consultation_id=row, action="closed_by_user", status="closed")
    migrate_to(engine, "0033", down=True)
    assert actions(engine) == ["closed"]
    with pytest.raises(IntegrityError):
        insert_row(
            engine, "consultation_event", consultation_id=row, action="closed_by_user", status="closed"
        )
    migrate_to(engine, "head")
    assert migrate.is_up_to_date(engine)

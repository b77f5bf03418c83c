"""Migration 0044: collections and their members; a deleted publication leaves them; a downgrade drops all."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from library import migrate
from tests.integration.library.migration_helpers import insert_row
from tests.integration.library.migrations.test_consultation_follow_up_migration import migrate_to


def test_collections_hold_publications_until_either_goes_and_a_downgrade_drops_them(engine: Engine) -> None:
    migrate_to(engine, "0043", down=True)
    assert "publication_collection" not in inspect(engine).get_table_names()
    office = insert_row(engine, "office", code="1872", name="BPS Kota Metro")
    kept, deleted = (
        insert_row(engine, "publication", key=key, title=key, issuing_office_id=office, access_level="open")
        for key in ("metro-2024", "metro-2023")
    )
    migrate_to(engine, "0044")
    series = insert_row(
        engine, "publication_collection", slug="dalam-angka", kind="series", name_id="Dalam Angka"
    )
    with engine.begin() as conn:
        for publication in (kept, deleted):
            conn.execute(
                text(
                    "INSERT INTO collection_member (collection_id, publication_id, added_at)"
                    " VALUES (:c, :p, CURRENT_TIMESTAMP)"
                ),
                {"c": series, "p": publication},
            )
        conn.execute(text("DELETE FROM publication WHERE id = :id"), {"id": deleted})
        members = conn.execute(text("SELECT publication_id FROM collection_member")).scalars().all()
    assert members == [kept]
    with pytest.raises(IntegrityError):  # an office collection names its office; another names none
        insert_row(engine, "publication_collection", slug="kantor", kind="office", name_id="Kantor")
    migrate_to(engine, "0043", down=True)
    assert {"publication_collection", "collection_member"}.isdisjoint(inspect(engine).get_table_names())
    migrate_to(engine, "head")
    assert migrate.is_up_to_date(engine)

"""Migration 0010 lets the ledger name a scan by its title and keeps it append-only on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError

from library import migrate
from tests.integration.library.migration_helpers import store_publication

ROW = (
    "INSERT INTO delivery (delivery_id, publication_id, source_sha256, output_sha256, recipient_name,"
    " recipient_email, request_number, channel, client_address, office_code, pages, delivered_at{title})"
    " VALUES (:id, :pub, :sha, :sha, 'Dewi Lestari', '', '', :channel, '', '1872', 2,"
    " '2026-11-23 02:00:00'{value})"
)
SHA = "a" * 64


def migrate_to(engine: Engine, revision: str, down: bool = False) -> None:
    # As `pustaka db` migrates: on SQLite with foreign keys off, so a copied table drops no row.
    (migrate.downgrade if down else migrate.upgrade)(engine, revision)


def insert(engine: Engine, delivery_id: str, publication_id: int | None, title: str | None = None) -> None:
    """Add a ledger row as the database stands (with a title column when `title` is given)."""
    statement = ROW.format(
        title="" if title is None else ", title", value="" if title is None else ", :title"
    )
    with engine.begin() as conn:
        conn.execute(
            text(statement),
            {"id": delivery_id, "pub": publication_id, "sha": SHA, "channel": "scan", "title": title},
        )


def refuses_changes(engine: Engine) -> bool:
    """Tell whether the database refuses both an UPDATE and a DELETE of ledger rows."""
    refused = 0
    for statement in ("UPDATE delivery SET recipient_name = 'X'", "DELETE FROM delivery"):
        try:
            with engine.begin() as conn:
                conn.execute(text(statement))
        except DatabaseError as exc:
            refused += "append-only" in str(exc)
    return refused == 2


def test_rows_delivered_before_are_kept_and_the_ledger_stays_append_only_after_the_upgrade(
    engine: Engine,
) -> None:
    migrate_to(engine, "0009", down=True)
    publication_id = store_publication(engine)
    insert(engine, "0000000000AA", publication_id)
    migrate_to(engine, "head")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT delivery_id, publication_id, title FROM delivery")).all()
    assert [tuple(r) for r in rows] == [("0000000000AA", publication_id, "")]
    assert refuses_changes(engine)


def test_a_scan_without_a_publication_needs_a_title(engine: Engine) -> None:
    insert(engine, "0000000000BB", None, "Statistik Daerah 1998, hlm. 3")
    with pytest.raises(DatabaseError):
        insert(engine, "0000000000CC", None, "")
    assert refuses_changes(engine)


def test_the_downgrade_is_refused_while_the_ledger_holds_a_scan_without_a_publication(engine: Engine) -> None:
    insert(engine, "0000000000DD", None, "Statistik Daerah 1998")
    with pytest.raises(RuntimeError, match="cannot be reverted"):
        migrate_to(engine, "0009", down=True)
    assert migrate.is_up_to_date(engine)
    assert refuses_changes(engine)


def test_down_and_up_again_keeps_the_triggers(engine: Engine) -> None:
    migrate_to(engine, "0009", down=True)
    publication_id = store_publication(engine)
    insert(engine, "0000000000EE", publication_id)
    assert refuses_changes(engine)
    migrate_to(engine, "head")
    migrate_to(engine, "0009", down=True)
    assert refuses_changes(engine)
    migrate_to(engine, "head")  # the next tests share this database's schema (PostgreSQL)
    assert refuses_changes(engine)

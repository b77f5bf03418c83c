"""Migration 0046: each publication with a file gets version 1 from its current files; ledger rows stay."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from library import migrate
from tests.integration.library.migration_helpers import insert_row, store_publication

OLD = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
NEW = dt.datetime(2026, 3, 9, tzinfo=dt.UTC)


def _asset(engine: Engine, pid: int, sha: str, role: str, when: dt.datetime, **extra: object) -> None:
    """Store a file asset of the revision before."""
    values = {"media_type": "application/pdf", "size_bytes": 10, "original_name": "", **extra}
    insert_row(engine, "file_asset", publication_id=pid, sha256=sha, role=role, created_at=when, **values)


def test_version_1_is_the_newest_master_copy_and_thumbnail_and_going_back_drops_it(engine: Engine) -> None:
    migrate.downgrade(engine, "0043")
    pid = store_publication(engine)
    office = insert_row(engine, "office", code="1807", name="BPS Kabupaten Tulang Bawang")
    bare = insert_row(
        engine, "publication", key="q", title="Tanpa berkas", issuing_office_id=office, access_level="open"
    )
    _asset(engine, pid, "a" * 64, "master", OLD, page_count=10, original_name="lama.pdf")
    _asset(engine, pid, "b" * 64, "master", NEW, page_count=12, original_name="baru.pdf")
    _asset(engine, pid, "c" * 64, "access", NEW, page_count=12)
    _asset(engine, pid, "d" * 64, "thumbnail", NEW, media_type="image/png")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        versions = conn.execute(
            text(
                "SELECT publication_id, number, master_sha256, copy_sha256, thumbnail_sha256, page_count,"
                " original_name, public FROM file_version"
            )
        ).all()
    assert [tuple(v) for v in versions] == [(pid, 1, "b" * 64, "c" * 64, "d" * 64, 12, "baru.pdf", False)]
    assert bare not in [v.publication_id for v in versions]  # no file: no version yet
    migrate.downgrade(engine, "0043")
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)


def test_the_ledgers_gain_an_empty_version_column_and_keep_refusing_updates(engine: Engine) -> None:
    pid = store_publication(engine)
    insert_row(
        engine,
        "delivery",
        delivery_id="D1",
        publication_id=pid,
        source_sha256="a" * 64,
        output_sha256="b" * 64,
        recipient_name="Ani",
        channel="online",
        office_code="1872",
        pages=3,
    )
    assert "file_version" in {c["name"] for c in inspect(engine).get_columns("reading_session")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT file_version FROM delivery")).scalar_one() is None
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("UPDATE delivery SET file_version = 1"))

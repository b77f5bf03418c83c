"""The tests' engines share a dialect and compiled SQL, yet each reads its own database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import column, select, table, text

from library.db import make_engine
from tests import shared_dialects

NOTES = table("notes", column("body"))


def test_a_second_engine_reuses_the_first_ones_compiled_sql_and_reads_its_own_file(tmp_path: Path) -> None:
    engines = [make_engine(f"sqlite:///{tmp_path / name}") for name in ("a.sqlite3", "b.sqlite3")]
    try:
        for engine, body in zip(engines, ("satu", "dua"), strict=True):
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE notes (body TEXT)"))
                conn.execute(text("INSERT INTO notes VALUES (:body)"), {"body": body})
        first, second = engines
        later = make_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}")  # made once the others have connected
        assert later.dialect is second.dialect  # the last one made before any had connected
        query = select(NOTES.c.body).where(NOTES.c.body != "tiga")
        with second.connect() as conn:
            assert conn.scalars(query).all() == ["dua"]
        compiled = len(shared_dialects.COMPILED)
        with later.connect() as conn:
            assert conn.scalars(query).all() == ["satu"]  # the same SQL, on its own file
        assert len(shared_dialects.COMPILED) == compiled  # not compiled again
        with first.connect() as conn:
            assert conn.scalars(query).all() == ["satu"]
        later.dispose()
    finally:
        for engine in engines:
            engine.dispose()

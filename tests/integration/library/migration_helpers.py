"""Rows stored at an older revision: only the columns that revision has, whatever the models say now."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Engine, Integer, MetaData, String, Table, Text


def insert_row(engine: Engine, table_name: str, **values: object) -> int:
    """Insert a row into a table as the database has it now; return its id.

    Columns not given that must have a value and have no default get a plain one
    (empty text, zero, false, now): the tests name what they check.
    """
    table = Table(table_name, MetaData(), autoload_with=engine)
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.server_default is not None or column.primary_key:
            continue
        if isinstance(column.type, String | Text):
            row[column.name] = ""
        elif isinstance(column.type, Boolean):
            row[column.name] = False
        elif isinstance(column.type, Integer):
            row[column.name] = 0
        elif isinstance(column.type, DateTime):
            row[column.name] = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        return int(conn.execute(table.insert().values(**row).returning(table.c.id)).scalar_one())


def store_publication(engine: Engine) -> int:
    """Store an office and one publication with the columns of the database's revision; return its id."""
    office_id = insert_row(engine, "office", code="1872", name="BPS Kota Metro")
    return insert_row(
        engine,
        "publication",
        key="p",
        title="Kota Metro Dalam Angka",
        issuing_office_id=office_id,
        access_level="open",
    )

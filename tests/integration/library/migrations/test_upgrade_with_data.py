"""Every migration, from the first schema on, runs over a database with a row in every table.

The database is built one revision at a time from 0001; before each step, every table holds data
(a table a migration adds is filled once it is there). No step may fail on data, and no step may
lose a row of a table that lives on. Then the schema goes back down to 0001 with the data, as
`pustaka db downgrade` takes it, and up to the head again.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Time,
    inspect,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.exc import IntegrityError

from library import migrate
from library.moving.copying import reset_sequences

WHEN = dt.datetime(2026, 1, 5, 9, 30)
# "channel IN ('a', 'b')" as written, and as PostgreSQL gives it back: "(channel)::text = ANY (ARRAY[...])"
_CHOICES = (
    re.compile(r"\(?\s*\"?(\w+)\"?\s+IN\s*\(([^)]*)\)", re.IGNORECASE),
    re.compile(r"\(?(\w+)\)?::text = ANY \(\(?ARRAY\[([^\]]*)\]"),
)


def to_base(engine: Engine) -> None:
    """Take the schema down to nothing."""
    from alembic import command

    config = migrate.alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:  # tables full of rows that refer to each other: dropped in any order
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def revisions() -> list[str]:
    """Return every revision, oldest first."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _choices(engine: Engine, table: str) -> dict[str, str]:
    """Return, per column a CHECK holds to a list of values, the first value allowed."""
    found: dict[str, str] = {}
    for check in inspect(engine).get_check_constraints(table):
        for pattern in _CHOICES:
            for column, listed in pattern.findall(check["sqltext"]):
                values = re.findall(r"'([^']*)'", listed)
                if values:
                    found.setdefault(column, values[0])
    return found


def _value(table: Table, column, filled: dict[str, dict[str, object]], choices: dict[str, str]) -> object:  # noqa: ANN001
    """Return a plausible value of a column: the row it refers to, a value its CHECK allows, or its type's."""
    for key in column.foreign_keys:
        target = key.column
        if target.table.name not in filled and column.nullable:
            return None  # a reference around a cycle (visit and ticket): the first row of the two has none
        return filled[target.table.name][target.name]
    if column.name in choices:
        return choices[column.name]
    if isinstance(column.type, DateTime):  # later columns later: an end comes after its start
        return WHEN + dt.timedelta(minutes=list(table.columns).index(column))
    return _of_type(column.type, f"{table.name}.{column.name}")


_BY_TYPE: tuple[tuple[type | tuple[type, ...], object], ...] = (
    (Boolean, False),
    ((Integer, Numeric, Float), 1),
    (Date, WHEN.date()),
    (Time, WHEN.time()),
    (JSON, {}),
    (LargeBinary, b"1"),
    (TSVECTOR, "isi"),  # PostgreSQL's search tables
    (ARRAY, ["1111"]),
)


def _of_type(kind: object, name: str) -> object:
    """Return a value of a column's type."""
    for types, value in _BY_TYPE:
        if isinstance(kind, types):
            return value
    if isinstance(kind, String | Text):
        return "1" * min(getattr(kind, "length", None) or 64, 4)
    raise AssertionError(f"{name}: no value for {kind!r}")


def fill_empty_tables(engine: Engine, filled: dict[str, dict[str, object]], empty: list[str]) -> None:
    """Put one row in each `empty` table (its references' rows first).

    Every column gets a value; where a CHECK refuses the row (one column's value asks for
    another's absence), the optional columns are left empty instead, then the optional references
    too (a series collection names no office). Only the empty tables and those they refer to are
    reflected: the whole schema's reflection took half the test's time.
    """
    meta = MetaData()
    meta.reflect(engine, only=empty)
    for table in meta.sorted_tables:
        if table.name == "alembic_version":
            continue
        with engine.connect() as conn:
            held = conn.execute(select(table).limit(1)).mappings().first()
        if held is not None:
            filled.setdefault(table.name, dict(held))
            continue
        choices = _choices(engine, table.name)
        row = {c.name: _value(table, c, filled, choices) for c in table.columns if not c.computed}
        sparse = {
            name: None if table.c[name].nullable and not table.c[name].foreign_keys else value
            for name, value in row.items()
        }
        sparser = {name: None if table.c[name].nullable else value for name, value in row.items()}
        for attempt in (row, sparse, sparser):
            try:
                with engine.begin() as conn:
                    conn.execute(table.insert().values(**attempt))
            except IntegrityError:
                if attempt is sparser:
                    raise
                continue
            filled[table.name] = attempt
            break
    if engine.dialect.name == "postgresql":  # rows given their ids: the next id a migration adds follows them
        with engine.begin() as conn:
            reset_sequences(conn)


def counts(engine: Engine) -> dict[str, int]:
    """Return the rows of every table (one query: a reflection of every table costs a second a step)."""
    with engine.connect() as conn:
        names = [name for name in inspect(conn).get_table_names() if name != "alembic_version"]
        if not names:
            return {}
        each = " UNION ALL ".join(f"SELECT '{name}', count(*) FROM \"{name}\"" for name in names)
        return {name: number for name, number in conn.exec_driver_sql(each)}


@pytest.mark.slow
def test_every_migration_runs_over_data_in_every_table_and_loses_no_row(engine: Engine) -> None:
    steps = revisions()
    to_base(engine)
    try:
        filled: dict[str, dict[str, object]] = {}
        before: dict[str, int] = {}
        for revision in steps:
            migrate.upgrade(engine, revision)
            after = counts(engine)
            lost = {t: (before[t], after[t]) for t in before if t in after and after[t] < before[t]}
            assert not lost, f"migration {revision} lost rows: {lost}"
            before = after
            if not all(after.values()):
                empty = [t for t, n in after.items() if not n]
                fill_empty_tables(engine, {t: r for t, r in filled.items() if t in after}, empty)
                before = counts(engine)
            assert all(before.values()), f"after {revision}: {[t for t, n in before.items() if not n]} empty"
        migrate.downgrade(engine, steps[0])  # back down with the data, as `pustaka db downgrade` goes
        assert all(counts(engine).values())
        migrate.upgrade(engine)
        assert migrate.is_up_to_date(engine)
    finally:
        to_base(engine)
        migrate.upgrade(engine)  # the other tests' schema, empty

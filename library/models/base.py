"""Declarative base, constraint naming and the column types shared by all models."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import DateTime, Dialect, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Row ids are Integer columns: 32 bits on PostgreSQL. A larger number names no row, and a query
# comparing an id with it fails in the driver instead of finding nothing.
MAX_ROW_ID = 2**31 - 1


class Base(DeclarativeBase):
    """Base class of every Pustaka model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Store aware datetimes as naive UTC and return them aware, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Pustaka stores only timezone-aware datetimes.")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    """Return the current time, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def enum_values(kind: type[enum.Enum]) -> str:
    """Return the SQL list of an enum's values for a CHECK constraint."""
    return ", ".join(f"'{member.value}'" for member in kind)


def short_string(length: int = 255) -> String:
    """Return a string column type of the given length."""
    return String(length)

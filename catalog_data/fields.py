"""Read typed fields out of one parsed TOML table, failing with the record and field named."""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Collection, Mapping
from typing import Any, Literal, NoReturn, overload

from catalog_data.records import CatalogDataError


def parse_toml(source: str | Mapping[str, Any], origin: str) -> Mapping[str, Any]:
    """Return the TOML document itself, or parse TOML text into one."""
    if isinstance(source, Mapping):
        return source
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogDataError(origin, "(syntax)", f"not valid TOML: {exc}") from exc


class RecordReader:
    """Typed access to one table of a TOML document, naming the record in every error."""

    def __init__(self, record: str, data: object, allowed: Collection[str]) -> None:
        if not isinstance(data, Mapping):
            raise CatalogDataError(record, "(table)", f"expected a table, got {type(data).__name__}")
        self.record = record
        self.data = data
        for name in data:
            if name not in allowed:
                self.fail(name, "unknown field (a typo?)")

    def fail(self, field: str, problem: str) -> NoReturn:
        """Raise a CatalogDataError for a field of this record."""
        raise CatalogDataError(self.record, field, problem)

    def _get(self, name: str, optional: bool) -> Any:
        if name not in self.data:
            if optional:
                return None
            self.fail(name, "missing")
        return self.data[name]

    def text(self, name: str, *, optional: bool = False, empty_ok: bool = False) -> str:
        """Return a string field; an optional one defaults to ''."""
        value = self._get(name, optional)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(name, f"expected a string, got {value!r}")
        if not empty_ok and not value.strip():
            self.fail(name, "must not be empty")
        return value

    def texts(self, name: str, *, empty_ok: bool = False) -> tuple[str, ...]:
        """Return a list-of-strings field as a tuple."""
        value = self._get(name, optional=False)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, f"expected a list of strings, got {value!r}")
        if not empty_ok and not value:
            self.fail(name, "must not be an empty list")
        if any(not v.strip() for v in value):
            self.fail(name, "contains an empty string")
        return tuple(value)

    @overload
    def integer(self, name: str, *, optional: Literal[False] = False, minimum: int = 0) -> int: ...
    @overload
    def integer(self, name: str, *, optional: bool, minimum: int = 0) -> int | None: ...
    def integer(self, name: str, *, optional: bool = False, minimum: int = 0) -> int | None:
        """Return an integer field (not a bool), at least `minimum`; None only when optional and absent."""
        value = self._get(name, optional)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, f"expected an integer, got {value!r}")
        if value < minimum:
            self.fail(name, f"must be at least {minimum}, got {value}")
        return value

    def flag(self, name: str) -> bool:
        """Return a boolean field that defaults to false."""
        value = self._get(name, optional=True)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(name, f"expected true or false, got {value!r}")
        return value

    def date(self, name: str, *, optional: bool = False) -> datetime.date | None:
        """Return a TOML local-date field (a datetime is refused)."""
        value = self._get(name, optional)
        if value is None:
            return None
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            self.fail(name, f"expected a date like 2024-02-28, got {value!r}")
        return value

    def choice(self, name: str, choices: Collection[str], *, optional: bool = False) -> str:
        """Return a string field that must be one of `choices`."""
        value = self.text(name, optional=optional)
        if optional and value == "":
            return ""
        if value not in choices:
            self.fail(name, f"expected one of {', '.join(choices)}, got {value!r}")
        return value

    def tables(self, name: str, *, optional: bool = False) -> list[Any]:
        """Return an array-of-tables field (empty when optional and absent)."""
        value = self._get(name, optional)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(name, f"expected an array of tables ([[{name}]]), got {value!r}")
        return value

    def has(self, name: str) -> bool:
        """Return whether the field is present."""
        return name in self.data

"""How a setting is declared: its default and a one-line description, read by `Settings.documented`."""

from __future__ import annotations

from dataclasses import field
from typing import Any


def setting(default: Any, doc: str) -> Any:
    """Declare a setting with its default and description."""
    return field(default=default, metadata={"doc": doc})

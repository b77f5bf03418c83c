"""Complaint page tests: quick password hashing."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash with small scrypt parameters: each hash records its own, so checks still work."""
    monkeypatch.setattr("library.people.passwords._N", 2**12)

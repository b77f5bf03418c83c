"""Helpers of the identifier tests: a demo publication's id and identifier, changed in place."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select

from library.models import Publication

KEY = "metro-dalam-angka-2024"


def publication(app: Flask, key: str = KEY) -> tuple[int, str]:
    """Return a demo publication's id and identifier."""
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalars(select(Publication).where(Publication.key == key)).one()
        return found.id, found.identifier or ""


def change(app: Flask, publication_id: int, **values: object) -> None:
    """Set columns of a publication straight in the database (a withdrawal, a draft, a DOI)."""
    with app.extensions["pustaka"].transaction() as uow:
        found = uow.session.get(Publication, publication_id)
        for name, value in values.items():
            setattr(found, name, value)


def withdrawn(reason: str) -> dict[str, object]:
    """Return the columns of a withdrawal with its reason."""
    return {"withdrawn_at": dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), "withdrawal_reason": reason}

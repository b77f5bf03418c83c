"""The lockers blueprint: the front-office console (/loket/loker) and the admin's list (/admin/loker)."""

from __future__ import annotations

from flask import Blueprint

from library.errors import NotFound, PustakaError
from library.frontoffice.lockers.stock import LockerConflict

bp = Blueprint("lockers", __name__)
ID = f"int(max={2**31 - 1})"  # a larger number is no row's id (and overflows an SQL integer)


def refusal_status(error: PustakaError) -> int:
    """Return the HTTP status of a refusal: not found, a conflict with the present state, or bad input."""
    return 404 if isinstance(error, NotFound) else 409 if isinstance(error, LockerConflict) else 400

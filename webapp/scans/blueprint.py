"""The scans blueprint: the librarian's scanning page and a scan's page, the visitor's download."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("scans", __name__)
ID = f"int(max={2**31 - 1})"  # a larger number is no row's id (and overflows an SQL integer)

"""The librarian's desk: intake, publications, requests, printed copies and items, subjects, MARC, ledger."""

from webapp.desk import (
    holdings,
    intake,
    items,
    ledger,
    marc,
    publications,
    reading_room,
    requests,
    stocktakes,
    subjects,
)
from webapp.desk.blueprint import bp

__all__ = [
    "bp",
    "holdings",
    "intake",
    "items",
    "ledger",
    "marc",
    "publications",
    "reading_room",
    "requests",
    "stocktakes",
    "subjects",
]

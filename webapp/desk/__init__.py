"""The librarian's desk: intake, publications, requests, printed items, subjects, collections, MARC."""

from webapp.desk import (
    collections,
    file_versions,
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
    "file_versions",
    "collections",
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

"""Errors of the ingest engine."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be taken in, with a message a person can act on."""

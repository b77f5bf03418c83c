"""Errors of the ingest engine."""

from __future__ import annotations

from typing import Any

# Every code a caller may meet; library/ maps each to a translated message.
CODES = frozenset(
    {
        "empty_file",
        "unsupported_type",
        "too_large",
        "too_many_pages",
        "too_many_pixels",
        "stream_too_large",
        "encrypted",
        "damaged",
        "no_pages",
        "ocr_failed",
        "mixed_folder",
        "empty_folder",
    }
)


class IngestError(Exception):
    """A file that cannot be taken in, with a message a person can act on.

    `message` is English, already formatted; `code` is stable and `params` hold the values a
    translated message can use (limits, sizes, page numbers, file names).
    """

    def __init__(self, message: str, *, code: str, **params: Any) -> None:
        if code not in CODES:
            raise ValueError(f"unknown ingest error code {code!r}")
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params

    def __repr__(self) -> str:
        return f"IngestError({self.message!r}, code={self.code!r}, params={self.params!r})"

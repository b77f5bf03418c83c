"""Free text from people, made safe to store and search."""

from __future__ import annotations

import unicodedata


def clean_text(text: str) -> str:
    """Return free text without control characters (a NUL cannot be stored), lines kept, ends trimmed."""
    text = (text or "").replace("\r\n", "\n")
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc").strip()

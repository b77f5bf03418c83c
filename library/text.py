"""Free text from people, made safe to store and search; page numbers written short."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def clean_text(text: str) -> str:
    """Return free text without control characters (a NUL cannot be stored), lines kept, ends trimmed."""
    text = (text or "").replace("\r\n", "\n")
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc").strip()


def format_page_ranges(pages: Iterable[int], dash: str = "-") -> str:
    """Write page numbers as compact ranges: (1, 2, 3, 9) -> '1-3, 9'."""
    spans: list[list[int]] = []
    for page in sorted(set(pages)):
        if spans and page == spans[-1][1] + 1:
            spans[-1][1] = page
        else:
            spans.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}{dash}{b}" for a, b in spans)

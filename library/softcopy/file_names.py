"""The name a downloaded copy is saved under: the publication's title, not a request number."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TITLE = 120  # characters of the title kept in a file name; file systems stop at 255 bytes
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


@dataclass(frozen=True)
class DownloadNames:
    """A file name in UTF-8 (RFC 5987 `filename*`) and its ASCII stand-in (`filename`)."""

    utf8: str
    ascii: str


def download_names(title: str, number: str) -> DownloadNames:
    """Return the names a copy is saved under: the title, and the request number to tell copies apart."""
    readable = " ".join(_UNSAFE.sub(" ", title).split())[:MAX_TITLE].strip(" .")
    slug = ascii_slug(title)[:MAX_TITLE].strip("-")
    return DownloadNames(
        utf8=f"{readable} - {number}.pdf" if readable else f"{number}.pdf",
        ascii=f"{slug}-{number}.pdf" if slug else f"{number}.pdf",
    )


def ascii_slug(text: str) -> str:
    """Return the text as lower-case ASCII words joined by hyphens ("Kota Metro" -> "kota-metro")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")

"""What a trace finds: each place a delivery id was read, and how text, OCR and QR readings become it.

A reading counts only when it is a well-formed delivery id; a QR code's signature is checked
against the secret (or key ring) when one is given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from watermark.marks.mark import ID_PATTERN, check_signature, is_delivery_id, parse_verify_url

EVIDENCE_KINDS = (
    "xmp",
    "docinfo",
    "document_id",
    "hidden_text",
    "visible_text",
    "diagonal_text",
    "tiled_code",
    "print_code",
    "qr",
)
_HIDDEN_RE = re.compile(f"PSTK-({ID_PATTERN})-(\\d+)")
# The footer says "ID Pengiriman X"; the diagonal's second line is "ID X" alone.
_VISIBLE_RE = re.compile(f"(?m)ID Pengiriman\\s+({ID_PATTERN})\\b|^\\s*ID\\s+({ID_PATTERN})\\s*$")
_OCR_RE = re.compile(r"(?:PSTK-|\bID\s*(?:Pengiriman|Baca)?\s*:?\s*)([0-9A-Z]{6,32})")
# What OCR confuses with letters ids never contain.
_OCR_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


@dataclass(frozen=True)
class Evidence:
    """One place a delivery id was found."""

    delivery_id: str
    kind: str  # one of EVIDENCE_KINDS
    page: int | None = None  # 1-based page of the examined file; None for the whole file
    detail: str = ""
    signature_valid: bool | None = None  # QR only, when a secret was given


class Collector:
    """The evidence found in one file so far, each delivery id once per kind and page."""

    def __init__(self, secret: bytes | Sequence[bytes] | None) -> None:
        self.secret = secret
        self.found: dict[tuple, Evidence] = {}

    def add(
        self, delivery_id: str, kind: str, page: int | None, detail: str = "", signature: str | None = None
    ) -> None:
        """Record one reading of a delivery id (its QR signature checked), unless it is not an id."""
        if not is_delivery_id(delivery_id):  # text that merely looks like an id
            return
        valid = None
        if signature is not None and self.secret:
            valid = check_signature(delivery_id, signature, self.secret)
        key = (delivery_id, kind, page)
        if key not in self.found:
            self.found[key] = Evidence(delivery_id, kind, page, detail, valid)

    def text(self, text: str, page: int | None) -> bool:
        """Record the ids in extracted text; tell whether any was found."""
        before = len(self.found)
        for match in _HIDDEN_RE.finditer(text):
            self.add(match.group(1), "hidden_text", page, f"page token {match.group(2)}")
        for match in _VISIBLE_RE.finditer(text):
            self.add(match.group(1) or match.group(2), "visible_text", page, match.group(0).strip())
        return len(self.found) > before

    def ocr(self, text: str, page: int | None) -> bool:
        """Record ids Tesseract read, mending letters OCR confuses; tell whether any was."""
        before = len(self.found)
        for match in _OCR_RE.finditer(text):
            candidate = match.group(1).translate(_OCR_FIXES)
            self.add(candidate, "visible_text", page, f"OCR: {match.group(0)}")
        return len(self.found) > before

    def qr(self, texts: list[str], page: int | None) -> bool:
        """Record the ids of the QR codes' verification links; tell whether any was found."""
        found = False
        for text in texts:
            parsed = parse_verify_url(text)
            if parsed:
                self.add(parsed[0], "qr", page, text, parsed[1])
                found = True
        return found

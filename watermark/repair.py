"""Repairing a PDF that qpdf will not open as it is: a lost page tree, a stale encryption entry.

qpdf (through pikepdf) already rebuilds a broken cross-reference table on its own. Two kinds of
damage it refuses where other readers cope, both seen in real files (the py-pdf and pdf.js test
corpora):
- **a page tree without pages**: the catalogue's /Pages is missing or lost its /Kids, while the
  page objects are all there. MuPDF reads the objects (repairing the cross-references as it
  goes); the page tree is made anew from every object of type /Page, in object-number order,
  and the file written again.
- **an encryption entry that encrypts nothing**: the trailer names an /Encrypt dictionary, but
  the content streams are plain (a file edited after its encryption was dropped). The entry is
  blanked (same length: every offset stays right), and the file is taken only if every page's
  content then reads as PDF operators: a file really encrypted gives bytes that do not, and
  is still refused as locked.
Each repair says what it did, in Indonesian, for the person who handed the file in. A file none
of this can read is refused as before. A repaired file is at most the original's size again:
the repair never makes a file grow without bound.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass

import pikepdf

from watermark.mupdf import load_pymupdf
from watermark.pageinks import Source

_ENCRYPT_ENTRY = re.compile(rb"/Encrypt\s*\d+\s+\d+\s+R")


@dataclass(frozen=True)
class Repair:
    """A damaged PDF made readable: its bytes, and what was done (for the librarian)."""

    data: bytes
    notes: tuple[str, ...]


def repair(source: Source) -> Repair | None:
    """Return the file repaired if one of the repairs above makes qpdf read it; None if none does."""
    data = bytes(source) if isinstance(source, bytes | bytearray) else _read(source)
    if data is None:
        return None
    notes: list[str] = []
    unlocked = _without_stale_encryption(data)
    if unlocked is not None:
        data = unlocked
        notes.append("Entri enkripsi yang tidak mengenkripsi apa pun diabaikan.")
        if _opens(data):
            return Repair(data, tuple(notes))
    rebuilt = _with_page_tree_rebuilt(data)
    if rebuilt is None:
        return None
    data, pages = rebuilt
    notes.append(f"Daftar halaman yang rusak disusun ulang dari {pages} objek halaman.")
    return Repair(data, tuple(notes)) if _opens(data) else None


def _read(source: str | os.PathLike[str]) -> bytes | None:
    try:
        with open(source, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _opens(data: bytes) -> bool:
    """Tell whether qpdf opens the file and finds at least one page in it."""
    try:
        with pikepdf.open(io.BytesIO(data), password="") as pdf:
            return len(pdf.pages) > 0
    except pikepdf.PdfError:
        return False


def _without_stale_encryption(data: bytes) -> bytes | None:
    """Return the file with its trailer's /Encrypt blanked if its pages are plain without it."""
    if not _ENCRYPT_ENTRY.search(data):
        return None
    blanked = _ENCRYPT_ENTRY.sub(lambda found: b" " * len(found.group()), data)
    try:
        with pikepdf.open(io.BytesIO(blanked), password="") as pdf:
            if len(pdf.pages) == 0:
                return None
            for page in pdf.pages:
                if not pikepdf.parse_content_stream(page):  # raises on bytes that are not operators
                    return None
    except (pikepdf.PdfError, ValueError, TypeError):
        return None
    return blanked


def _with_page_tree_rebuilt(data: bytes) -> tuple[bytes, int] | None:
    """Return the file with a new page tree of its /Page objects, and how many; None if it has none."""
    pymupdf = load_pymupdf()
    errors = (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase)
    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except errors:
        return None
    with document:
        if document.needs_pass and not document.authenticate(""):
            return None
        pages = [xref for xref in range(1, document.xref_length()) if _is_page(document, xref, errors)]
        if not pages:
            return None
        try:
            root = document.get_new_xref()
            kids = " ".join(f"{xref} 0 R" for xref in pages)
            document.update_object(root, f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>")
            for xref in pages:
                document.xref_set_key(xref, "Parent", f"{root} 0 R")
            document.xref_set_key(document.pdf_catalog(), "Pages", f"{root} 0 R")
            return document.tobytes(garbage=1), len(pages)
        except errors:
            return None


def _is_page(document, xref: int, errors: tuple[type[Exception], ...]) -> bool:  # noqa: ANN001 (PyMuPDF's)
    try:
        return bool(document.xref_get_key(xref, "Type") == ("name", "/Page"))
    except errors:
        return False  # an object MuPDF cannot read, or not a dictionary

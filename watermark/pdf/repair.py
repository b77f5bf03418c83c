"""Repairing a PDF that qpdf will not open as it is: a lost page tree, a stale encryption entry.

qpdf (through pikepdf) already rebuilds a broken cross-reference table on its own. Two kinds of
damage it refuses where other readers cope, both seen in real files (the py-pdf and pdf.js test
corpora):
- **a page tree without pages**: the catalogue's /Pages is missing or lost its /Kids, while the
  page objects are all there. MuPDF reads the objects (repairing the cross-references as it
  goes); the page tree is made anew from every object of type /Page, in object-number order,
  and the file written again.
- **an encryption entry that encrypts nothing**: the trailer names an /Encrypt dictionary qpdf
  cannot interpret, but the streams are plain (a file edited after its encryption was dropped).
  The entry is blanked (same length: every offset stays right), and the file is taken only if
  it then provably reads as plain PDF (`watermark.pdf.encryption.reads_plain`): a file really
  encrypted gives pages that are no PDF operators, and is still refused as locked.
A file qpdf opens only with a password is never repaired: dropping its encryption would hand
out its still-encrypted pages under a valid stamp. Nor is any repair taken whose pages do not
read as plain PDF (a file cut short loses the trailer that named its encryption, and MuPDF
then finds its pages without it). Each repair says what it did, in Indonesian, for the person
who handed the file in. A file none of this can read is refused as before. A repaired file is
at most the original's size again: the repair never makes a file grow without bound.
"""

from __future__ import annotations

import io
import os
import re
from typing import NamedTuple

import pikepdf

from watermark.errors import N_, Reason
from watermark.pdf.encryption import needs_password, reads_plain
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.source import Source

_ENCRYPT_ENTRY = re.compile(rb"/Encrypt\s*\d+\s+\d+\s+R")


class Repair(NamedTuple):
    """A damaged PDF made readable: its bytes, and what was done (for the librarian)."""

    data: bytes
    notes: tuple[Reason, ...]


def repair(source: Source) -> Repair | None:
    """Return the file repaired if one of the repairs above makes qpdf read it; None if none does."""
    data = bytes(source) if isinstance(source, bytes | bytearray) else _read(source)
    if data is None or needs_password(data):
        return None
    notes: list[Reason] = []
    unlocked = _without_stale_encryption(data)
    if unlocked is not None:
        data = unlocked
        notes.append(Reason(N_("An encryption entry that encrypts nothing was ignored.")))
        if _opens(data):
            return Repair(data, tuple(notes))
    rebuilt = _with_page_tree_rebuilt(data)
    if rebuilt is None:
        return None
    data, pages = rebuilt
    notes.append(Reason(N_("The page list was rebuilt from %(pages)s page objects."), {"pages": pages}))
    return Repair(data, tuple(notes)) if _opens(data) else None


def still_encrypted(source: Source) -> bool:
    """Tell whether a file no repair made readable is locked: it needs a password, or the
    encryption entry qpdf cannot use covers pages that do not read as PDF without it."""
    data = bytes(source) if isinstance(source, bytes | bytearray) else _read(source)
    if data is None or not _ENCRYPT_ENTRY.search(data):
        return False
    judged = _without_encryption_entry(data)
    return needs_password(data) or (judged is not None and not judged[1])


def _read(source: str | os.PathLike[str]) -> bytes | None:
    try:
        with open(source, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _opens(data: bytes) -> bool:
    """Tell whether qpdf opens the file, finds pages in it and they read as plain PDF."""
    try:
        with pikepdf.open(io.BytesIO(data), password="") as pdf:
            return len(pdf.pages) > 0 and reads_plain(pdf)
    except pikepdf.PdfError:
        return False


def _without_stale_encryption(data: bytes) -> bytes | None:
    """Return the file with its trailer's /Encrypt blanked if it provably reads as plain PDF without it.

    Called only on a file qpdf asks no password of: one it cannot read for its encryption
    entry, or for other damage (then blanking an entry it could use is no repair: its
    streams stay encrypted and fail the proof).
    """
    judged = _without_encryption_entry(data)
    return judged[0] if judged is not None and judged[1] else None


def _without_encryption_entry(data: bytes) -> tuple[bytes, bool] | None:
    """Return the file with its trailer's /Encrypt blanked and whether it then reads as plain PDF;
    None if it names no encryption, or qpdf finds no pages in it without one."""
    if not _ENCRYPT_ENTRY.search(data):
        return None
    blanked = _ENCRYPT_ENTRY.sub(lambda found: b" " * len(found.group()), data)
    try:
        with pikepdf.open(io.BytesIO(blanked), password="") as pdf:
            return (blanked, reads_plain(pdf)) if len(pdf.pages) > 0 else None
    except pikepdf.PdfError:
        return None


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

"""The PDF a visitor's copy is stamped from, made of what the librarian scanned.

`master_path` lays the stored master out as it arrived (a file, or a folder of page images);
`source_pdf` turns it into the PDF to stamp: the master itself, one built from it, or its
access copy, each page on A4 (`on_a4`). Scan ingest lays the master out the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

from ingest.errors import IngestError
from ingest.limits import Limits
from ingest.source import SourceKind, build_base_pdf, inspect
from library.errors import StorageError
from library.filestore import FileStore
from library.i18n import N_
from library.intake.submit import IngestRefused
from library.models import VisitorScan
from watermark.pdf.mupdf import load_pymupdf


def source_pdf(store: FileStore, limits: Limits, scan: VisitorScan, tmp: Path) -> str:
    """Return the digest of the PDF the copy is stamped from: the master, one built from it, or its
    access copy: scanned pages are redrawn straight at 200 dpi as JPEG (about 300 KB a page, as
    ingest does for the catalogue's scans), so a visitor is not sent megabytes a page.
    """
    source = master_path(store, scan, tmp)
    try:
        facts = inspect(source, limits)
        if facts.kind is SourceKind.PDF and not (facts.repaired or facts.encrypted):
            base, digest = source, str(scan.source_files[0]["sha256"])
        else:
            base, digest = build_base_pdf(source, facts, tmp / "salinan.pdf", limits), ""
        # Late: it loads PyMuPDF, which commands that never make copies must not pay for.
        from ingest.access import build_access_copy, is_scan

        if is_scan(base):
            build_access_copy(base, tmp / "akses.pdf")
            return store.put_file(on_a4(tmp / "akses.pdf", tmp)).sha256
        on_paper = on_a4(base, tmp)
        if on_paper != base:
            return store.put_file(on_paper).sha256
    except IngestError as exc:
        raise IngestRefused(
            N_("%(name)s cannot be made into a copy: %(detail)s"),
            code=exc.code,
            name=scan.original_name,
            detail=str(exc),
        ) from None
    return digest or store.put_file(base).sha256


A4 = (595.28, 841.89)  # points: the paper a visitor's scan is handed over on, whatever the scanner made


def on_a4(path: Path, folder: Path) -> Path:
    """Return the PDF with each page on A4 (upright or turned as the page is), scaled to fit, centred.

    A scanner or a phone gives pages of whatever size its picture and dpi make (219 x 304 mm);
    the visitor is handed A4, as printed pages are. A PDF on A4 already is returned as it is.
    """
    pymupdf = load_pymupdf()  # loaded when first needed: most requests never are

    with pymupdf.open(path) as source:
        if all(_is_a4(page.rect) for page in source):
            return path
        out = pymupdf.open()
        try:
            for page in source:
                rect = page.rect
                width, height = A4 if rect.height >= rect.width else A4[::-1]
                paper = out.new_page(width=width, height=height)
                scale = min(width / rect.width, height / rect.height)
                w, h = rect.width * scale, rect.height * scale
                left, top = (width - w) / 2, (height - h) / 2
                paper.show_pdf_page(pymupdf.Rect(left, top, left + w, top + h), source, page.number)
            target = folder / "a4.pdf"
            out.save(target, garbage=3, deflate=True)
        finally:
            out.close()
    return target


def _is_a4(rect) -> bool:  # noqa: ANN001 - a PyMuPDF Rect
    """Tell whether a page is A4 (either way round) within a millimetre."""
    sides = sorted((rect.width, rect.height))
    return abs(sides[0] - A4[0]) < 3 and abs(sides[1] - A4[1]) < 3


def master_path(store: FileStore, scan: VisitorScan, folder: Path) -> Path:
    """Lay the stored master out under `folder` as it arrived (a file, or a folder of page images)."""
    entries = scan.source_files
    for entry in entries:
        if not store.exists(str(entry["sha256"])):
            raise StorageError(N_("The scanned file %(name)s is missing from the store."), name=entry["name"])
    if len(entries) == 1:
        target = folder / _safe_name(str(entries[0]["name"]), 0)
        os.symlink(store.path_for(str(entries[0]["sha256"])), target)
        return target
    pages = folder / "halaman"
    pages.mkdir()
    for number, entry in enumerate(entries, start=1):
        os.symlink(
            store.path_for(str(entry["sha256"])),
            pages / f"{number:04d}-{_safe_name(str(entry['name']), number)}",
        )
    return pages


def _safe_name(name: str, number: int) -> str:
    """Return a file name that stays inside its folder."""
    base = Path(name).name.strip(". ")
    return base or f"berkas-{number}"

"""The files an ingest job makes from its source: the source as a path, a clean base, the access copy.

The engine is given the source as one path (the stored file, or a folder of a batch's images);
the base PDF it builds is cleaned of active content, so that every file made from it is clean
too; readers get an access copy, a scan drawn again straight and lighter, or the base with the
OCR'd words as a text layer. The master stays as it came in. The job that calls these, and
keeps the OCR results page by page, is `library.intake.ingest_job`.
"""

from __future__ import annotations

from pathlib import Path

from ingest.errors import IngestError
from ingest.ocr import Word
from ingest.source import SourceFacts
from ingest.textlayer import add_text_layer
from library.filestore import FileStore
from library.models import IngestPage


def materialise(store: FileStore, entries: list[dict], kind: str, tmp: Path) -> Path:
    """Give the engine the source as a path: the stored file, or a folder of its images."""
    if kind != "images":
        return store.path_for(entries[0]["sha256"])
    folder = tmp / "pages"
    folder.mkdir()
    for number, entry in enumerate(entries, start=1):
        suffix = Path(entry["name"]).suffix.lower() or ".img"
        (folder / f"{number:05d}{suffix}").symlink_to(store.path_for(entry["sha256"]))
    return folder


def without_active_content(base: Path, tmp: Path) -> tuple[Path, list[str]]:
    """Return the base PDF without active content, and what was removed (the master stays as it is).

    Every file made from the base (access copy, page pictures, stamped copies) is then clean.
    A base with nothing to remove is returned as it is: a clean born-digital PDF stays its own
    access copy, stored once.
    """
    # Late: the watermark engine loads pikepdf, which commands that never ingest (`pustaka
    # search`) must not pay for.
    from watermark.errors import WatermarkError
    from watermark.pdf.active_content import clean_copy

    clean = tmp / "clean.pdf"
    try:
        removed = clean_copy(base, clean)
    except WatermarkError as exc:
        raise IngestError(f"The PDF cannot be cleaned of active content: {exc}", code="damaged") from None
    return (clean if removed else base), [kind.value for kind in removed]


def access_copy(base: Path, facts: SourceFacts, done_pages: dict[int, IngestPage], tmp: Path) -> Path:
    """Return the copy readers get: a scan drawn again straight and lighter, else the base with OCR text."""
    # Late: it loads PyMuPDF and pikepdf, which commands that never ingest (`pustaka search`)
    # must not pay for.
    from ingest.access import build_access_copy, is_scan

    words = {n: _words(done_pages[n]) for n in facts.image_pages}
    if facts.origin == "scanned" and is_scan(base):
        # A scan is drawn again straight and lighter; the master stays as it came in.
        access = tmp / "access.pdf"
        skews = {n: done_pages[n].skew_degrees for n in facts.image_pages}
        build_access_copy(base, access, words, skews)
        return access
    if facts.image_pages:
        access = tmp / "access.pdf"
        add_text_layer(base, access, words)
        return access
    return base


def _words(row: IngestPage) -> list[Word]:
    """Return the stored words of a page."""
    return [Word(text, x0, y0, x1, y1) for text, x0, y0, x1, y1 in row.words]

"""The ink of a stored PDF's pages, measured once and kept beside it in the file store.

The stamp never hides what a page printed, so every page's ink is measured (a coarse grey
render); a publication's file never changes, so that is done once: at ingest, by `pustaka
access-copies` for publications taken in before, or by the first copy that needs a page. It
is kept as `<files>/ink/ab/<sha256>.ink` and read by every copy after, which then renders
only the pages it lacks. A kept file counts only for the very file it was measured on (same
sha256 and size, and the engine checks the page count and each page's box); any other, or a
damaged one, is ignored and measured anew. It can be deleted at any time: it is a cache.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from library.filestore import FileStore

if TYPE_CHECKING:
    from watermark.ink.inkmap import InkMap

log = logging.getLogger(__name__)
FOLDER = "ink"


def ink_path(store: FileStore, sha256: str) -> Path:
    """Return where the kept ink of the stored file with this digest lives."""
    store.path_for(sha256)  # refuses what is not a digest
    return store.root / FOLDER / sha256[:2] / f"{sha256}.ink"


def load_ink(store: FileStore, sha256: str) -> InkMap:
    """Return the ink kept for a stored PDF, or an empty map for it if none is kept that fits it."""
    from watermark.ink.inkmap import InkMap  # the PDF engines load when a process first stamps

    try:
        size = store.path_for(sha256).stat().st_size
    except OSError:
        size = -1  # no such file: stamping it says so
    try:
        kept = InkMap.from_bytes(ink_path(store, sha256).read_bytes())
    except OSError:
        kept = None
    if kept is None or kept.source_sha256 != sha256 or kept.source_size != size:
        return InkMap(0, sha256, max(size, 0))
    return kept


def keep_ink(store: FileStore, sha256: str, ink: InkMap) -> None:
    """Keep the ink measured for a stored PDF (written whole, then renamed); a failure only costs speed."""
    path = ink_path(store, sha256)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(ink.to_bytes())
        os.replace(temporary, path)
        ink.changed = False
    except OSError as exc:
        log.warning("The ink measured for %s could not be kept: %s", sha256, exc)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def measure_stored(store: FileStore, sha256: str) -> int:
    """Measure and keep the ink of every page of a stored PDF not kept yet; return how many were measured.

    Raises WatermarkError when the file cannot be read as a PDF.
    """
    from watermark.ink.pageinks import measure_pages

    ink = load_ink(store, sha256)
    measured = measure_pages(store.path_for(sha256), ink)
    if ink.changed:
        keep_ink(store, sha256, ink)
    return measured

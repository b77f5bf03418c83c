"""Stream objects the stamp adds, compressed here so qpdf can leave the source's alone."""

from __future__ import annotations

import zlib

import pikepdf
from pikepdf import Name


def flate_stream(pdf: pikepdf.Pdf, data: bytes, **entries: object) -> pikepdf.Stream:
    """Return a new Flate-compressed stream of `data` owned by `pdf`."""
    # Saving with compress_streams=True would make qpdf decode and recompress every
    # stream of the publication too (ten times the cost of the whole stamp); so our
    # own streams arrive compressed and the file is saved without recompression.
    return pikepdf.Stream(pdf, zlib.compress(data, 6), Filter=Name.FlateDecode, **entries)

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
    stream = pikepdf.Stream(pdf, zlib.compress(data, 6))
    # Entries set one by one: handing them to Stream() costs three times as much (36 us against
    # 11 us a stream; a page of a copy makes one).
    stream.Filter = Name.FlateDecode
    for key, value in entries.items():
        setattr(stream, key, value)
    return stream

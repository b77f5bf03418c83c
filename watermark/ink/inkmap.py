"""Each page's ink, measured once and kept: a compact file beside the PDF it was measured on.

Rendering every page to find its ink is most of what stamping a whole publication costs, and
a publication's pages do not change: the measurement is made once (at ingest, or the first
time a copy needs it) and reused by every copy after. What is kept per page is the bit-array
of inked cells (zlib-packed, about 1.6 KB for a page of text) with the displayed page box it
was measured on.

Nothing kept is trusted blindly: a file of another format or `MEASUREMENT`, or damaged (its
CRC), is read as no measurement at all; one made for a document with another page count is
dropped whole; a page whose displayed box differs from the one measured is measured again.
Which file a map belongs to (its sha256 and size) is the keeper's to check.
"""

from __future__ import annotations

import struct
import zlib
from typing import NamedTuple

from watermark.ink.room import MEASUREMENT, Ink
from watermark.pdf.pagebox import PageBox

MAGIC = b"PSTKINK\n"
_HEAD = struct.Struct(">8sH")  # magic, length of the measurement's name that follows
_SOURCE = struct.Struct(">32sQII")  # source sha256, source size, page count, pages measured
_PAGE = struct.Struct(">I8dHHII")  # index, width, height, matrix (6), rows, cols, offset, length
_CRC = struct.Struct(">I")
MAX_CELLS = 4_000_000  # more cells than an A0 page at 36 dpi has twice over: not kept, not trusted


class _Page(NamedTuple):
    """One page's kept measurement: the box it was measured on and its packed cells."""

    box: PageBox
    rows: int
    cols: int
    packed: bytes


class InkMap:
    """The kept ink of one PDF's pages (0-based), with the identity of the file they were measured on."""

    def __init__(self, page_count: int, source_sha256: str = "", source_size: int = 0) -> None:
        self.page_count = page_count
        self.source_sha256 = source_sha256
        self.source_size = source_size
        self.changed = False  # pages were added or dropped since it was read: worth keeping again
        self._pages: dict[int, _Page] = {}

    def __len__(self) -> int:
        """Return how many pages are measured."""
        return len(self._pages)

    def fit(self, page_count: int) -> None:
        """Drop every measurement if the document now has another page count: they belong to another file."""
        if page_count != self.page_count:
            self.page_count = page_count
            if self._pages:
                self._pages.clear()
                self.changed = True

    def missing(self) -> list[int]:
        """Return the indexes of the pages not measured yet."""
        return [index for index in range(self.page_count) if index not in self._pages]

    def has(self, index: int, box: PageBox) -> bool:
        """Tell whether page `index` was measured on this very displayed box."""
        page = self._pages.get(index)
        return page is not None and page.box == box

    def ink(self, index: int, box: PageBox) -> Ink | None:
        """Return the kept ink of page `index` if it was measured on this very displayed box, else None."""
        page = self._pages.get(index)
        if page is None or page.box != box:
            return None
        # Decoded only as far as it is read (a reused plan reads the page's foot); cells of a
        # record that does not decode read as ink (the file's CRC matched: written so by us).
        return Ink.packed(page.packed, page.rows, page.cols, box.width / page.cols, box.height / page.rows)

    def add(self, index: int, box: PageBox, ink: Ink) -> None:
        """Keep the ink of page `index`, measured on the displayed `box`."""
        rows, cols = ink.shape
        if not (0 <= index < self.page_count and 0 < rows * cols <= MAX_CELLS and max(rows, cols) < 2**16):
            return  # a page this large is measured each time rather than kept
        self._pages[index] = _Page(box, rows, cols, ink.packbits())
        self.changed = True

    def to_bytes(self) -> bytes:
        """Return the map as the file it is kept in."""
        name = MEASUREMENT.encode()
        digest = bytes.fromhex(self.source_sha256) if len(self.source_sha256) == 64 else bytes(32)
        parts = [
            _HEAD.pack(MAGIC, len(name)),
            name,
            _SOURCE.pack(digest, self.source_size, self.page_count, len(self._pages)),
        ]
        offset, blobs = 0, []
        for index in sorted(self._pages):
            page = self._pages[index]
            box = page.box
            parts.append(
                _PAGE.pack(
                    index, box.width, box.height, *box.matrix, page.rows, page.cols, offset, len(page.packed)
                )
            )
            blobs.append(page.packed)
            offset += len(page.packed)
        data = b"".join(parts + blobs)
        return data + _CRC.pack(zlib.crc32(data))

    @classmethod
    def from_bytes(cls, data: bytes) -> InkMap | None:
        """Return the map a kept file holds; None if it is damaged or was measured another way."""
        try:
            return cls._parse(memoryview(data))
        except (struct.error, ValueError):
            return None

    @classmethod
    def _parse(cls, data: memoryview) -> InkMap | None:
        body = data[: -_CRC.size]
        if len(data) < _HEAD.size + _CRC.size or _CRC.unpack(data[-_CRC.size :])[0] != zlib.crc32(body):
            return None
        magic, name_length = _HEAD.unpack_from(body)
        at = _HEAD.size + name_length
        if magic != MAGIC or bytes(body[_HEAD.size : at]) != MEASUREMENT.encode():
            return None
        digest, size, page_count, measured = _SOURCE.unpack_from(body, at)
        at += _SOURCE.size
        blobs = at + measured * _PAGE.size
        kept = cls(page_count, digest.hex() if any(digest) else "", size)
        for _ in range(measured):
            index, width, height, *rest = _PAGE.unpack_from(body, at)
            at += _PAGE.size
            matrix, (rows, cols, offset, length) = tuple(rest[:6]), rest[6:]
            start = blobs + offset
            if not (0 <= index < page_count and 0 < rows * cols <= MAX_CELLS and start + length <= len(body)):
                return None
            box = PageBox(width, height, matrix)
            kept._pages[index] = _Page(box, rows, cols, bytes(body[start : start + length]))
        return kept

"""Page images read from their headers alone: size, resolution, orientation, frames.

Nothing here decodes pixels, so a file whose header claims 10^10 pixels costs a few bytes
of reading to refuse. Pillow is not used: its own bomb check warns (an error under pytest)
at 89 M pixels, below the limit this project allows, and sees only a TIFF's first frame.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError

FALLBACK_DPI = 300
MIN_DPI = 50  # below this a stated resolution is a placeholder (0, 1, 72 on some phones is real)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers: C0-CF except DHT (C4), JPG (C8) and DAC (CC).
SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
TIFF_TYPE_SIZES = {
    1: 1,
    2: 1,
    3: 2,
    4: 4,
    5: 8,
    6: 1,
    7: 1,
    8: 2,
    9: 4,
    10: 8,
    11: 4,
    12: 8,
    13: 4,
    16: 8,
    17: 8,
    18: 8,
}
WIDTH, LENGTH, ORIENTATION, X_RES, Y_RES, RES_UNIT = 256, 257, 274, 282, 283, 296


@dataclass(frozen=True)
class Frame:
    """One page image as its header describes it."""

    width: int
    height: int
    dpi: tuple[float, float] | None = None
    orientation: int = 1  # EXIF/TIFF orientation; 6 and 8 mean the page lies on its side

    @property
    def pixels(self) -> int:
        """Return the pixel count the image decodes to."""
        return self.width * self.height

    def page_size(self) -> tuple[float, float]:
        """Return the page size in points, upright, from the stated or fallback dpi."""
        x_dpi, y_dpi = (usable_dpi(d) for d in (self.dpi or (0.0, 0.0)))
        width, height = self.width * 72 / x_dpi, self.height * 72 / y_dpi
        return (height, width) if self.orientation in (5, 6, 7, 8) else (width, height)


def usable_dpi(value: float) -> float:
    """Return a stated resolution, or 300 when it is missing or a placeholder."""
    return value if value >= MIN_DPI else FALLBACK_DPI


def read_frames(path: Path, kind: str, max_frames: int) -> list[Frame]:
    """Return the frames of a JPEG, PNG or TIFF file; at most max_frames + 1 of them."""
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        try:
            if kind == "jpeg":
                frames = [_jpeg_frame(buf)]
            elif kind == "png":
                frames = [_png_frame(buf)]
            else:
                frames = [_tiff_frame(tags) for tags in _tiff_ifds(buf, 0, max_frames + 1)]
        except (struct.error, IndexError, ValueError):
            frames = []
    if not frames or any(f.width <= 0 or f.height <= 0 for f in frames):
        raise IngestError(
            f"The image {path.name} is damaged: its header does not say how large it is. "
            "Scan or export the page again.",
            code="damaged",
            name=path.name,
        )
    return frames


def _png_frame(buf: mmap.mmap) -> Frame:
    width, height = struct.unpack(">II", buf[16:24])
    pos, dpi = 8, None
    while pos + 8 <= len(buf):
        length, kind = struct.unpack(">I4s", buf[pos : pos + 8])
        if kind == b"pHYs" and length >= 9:
            x, y, unit = struct.unpack(">IIB", buf[pos + 8 : pos + 17])
            # Pixels per metre, an integer: 5906 is 150 dpi, not 150.0124.
            dpi = (float(round(x * 0.0254)), float(round(y * 0.0254))) if unit == 1 else None
        if kind in (b"IDAT", b"IEND"):
            break
        pos += 12 + length
    return Frame(width, height, dpi)


def _jpeg_frame(buf: mmap.mmap) -> Frame:
    pos, dpi, orientation = 2, None, 1
    while pos + 4 <= len(buf):
        if buf[pos] != 0xFF:
            raise ValueError("not at a JPEG marker")
        marker = buf[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        length = struct.unpack(">H", buf[pos + 2 : pos + 4])[0]
        segment = buf[pos + 4 : pos + 2 + length]
        if marker == 0xE0 and segment[:5] == b"JFIF\0" and len(segment) >= 12:
            unit, x, y = struct.unpack(">BHH", segment[7:12])
            dpi = {1: (float(x), float(y)), 2: (x * 2.54, y * 2.54)}.get(unit, dpi)
        elif marker == 0xE1 and segment[:6] == b"Exif\0\0":
            tags = next(_tiff_ifds(segment, 6, 1), {})
            orientation = int(tags.get(ORIENTATION, 1))
            dpi = dpi or _tiff_dpi(tags)
        elif marker in SOF_MARKERS:
            height, width = struct.unpack(">HH", segment[1:5])
            return Frame(width, height, dpi, orientation)
        pos += 2 + length
    raise ValueError("no start-of-frame marker")


def _tiff_frame(tags: dict[int, float]) -> Frame:
    return Frame(
        int(tags.get(WIDTH, 0)), int(tags.get(LENGTH, 0)), _tiff_dpi(tags), int(tags.get(ORIENTATION, 1))
    )


def _tiff_dpi(tags: dict[int, float]) -> tuple[float, float] | None:
    if X_RES not in tags:
        return None
    scale = {2: 1.0, 3: 2.54}.get(int(tags.get(RES_UNIT, 2)))
    if scale is None:  # unit 1: "no absolute unit", an aspect ratio only
        return None
    return tags[X_RES] * scale, tags.get(Y_RES, tags[X_RES]) * scale


def _tiff_ifds(buf: bytes | mmap.mmap, base: int, limit: int) -> Iterator[dict[int, float]]:
    """Yield the first value of each interesting tag of each IFD in a TIFF structure."""
    order = {b"II": "<", b"MM": ">"}[bytes(buf[base : base + 2])]
    magic = struct.unpack(order + "H", buf[base + 2 : base + 4])[0]
    big = magic == 43  # BigTIFF: 8-byte offsets and counts
    count_fmt, offset_fmt, entry_size = ("Q", "Q", 20) if big else ("H", "I", 12)
    first = base + (8 if big else 4)
    (offset,) = struct.unpack(order + offset_fmt, buf[first : first + struct.calcsize(offset_fmt)])
    seen: set[int] = set()
    while offset and len(seen) < limit:
        if offset in seen:  # an IFD chain that loops back would never end
            raise ValueError("IFD loop")
        seen.add(offset)
        start = base + offset
        size = struct.calcsize(count_fmt)
        (entries,) = struct.unpack(order + count_fmt, buf[start : start + size])
        tags = {}
        for index in range(entries):
            entry = start + size + index * entry_size
            tag, kind = struct.unpack(order + "HH", buf[entry : entry + 4])
            if tag in (WIDTH, LENGTH, ORIENTATION, X_RES, Y_RES, RES_UNIT):
                tags[tag] = _tiff_value(buf, base, entry + 4, order, kind, big)
        end = start + size + entries * entry_size
        (offset,) = struct.unpack(order + offset_fmt, buf[end : end + struct.calcsize(offset_fmt)])
        yield tags


def _tiff_value(buf: bytes | mmap.mmap, base: int, pos: int, order: str, kind: int, big: bool) -> float:
    count_fmt = "Q" if big else "I"
    count_size = struct.calcsize(count_fmt)
    (count,) = struct.unpack(order + count_fmt, buf[pos : pos + count_size])
    pos += count_size
    inline = 8 if big else 4
    if TIFF_TYPE_SIZES.get(kind, 0) * count > inline:
        (where,) = struct.unpack(order + count_fmt, buf[pos : pos + count_size])
        pos = base + where
    if kind in (5, 10):  # RATIONAL / SRATIONAL
        num, den = struct.unpack(order + ("II" if kind == 5 else "ii"), buf[pos : pos + 8])
        return num / den if den else 0.0
    fmt = {1: "B", 3: "H", 4: "I", 8: "h", 9: "i", 16: "Q", 11: "f", 12: "d"}.get(kind)
    if fmt is None:
        return 0.0
    return float(struct.unpack(order + fmt, buf[pos : pos + struct.calcsize(fmt)])[0])

"""A PDF of picture pages written as it goes: one page at a time on disk, never the whole file in memory.

Each page is one image (JPEG, or 1-bit pixels) filling the page, with a content stream
drawn over it (the invisible words of the text layer). A scan of thousands of pages costs
the memory of one page: MuPDF would hold every new image until it saves.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Literal

ImageKind = Literal["jpeg-gray", "jpeg-rgb", "bilevel"]
HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
CATALOG, PAGES, FONT = 1, 2, 3  # fixed object numbers; pages follow from 4
FONT_NAME = b"helv"  # the name the text layer's operators use (see ingest.textlayer)


@dataclass(frozen=True)
class PageImage:
    """One encoded page picture: JPEG bytes, or packed 1-bit rows (1 = white) for bilevel."""

    kind: ImageKind
    data: bytes
    width: int
    height: int


class PicturePdf:
    """A PDF written page by page to `path`; `close` writes the page tree, the info and the xref."""

    def __init__(self, path: Path, info: dict[str, str]) -> None:
        self.path = path
        self.info = info
        self._out: BinaryIO = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._digest = hashlib.sha256()
        self._offsets: dict[int, int] = {}
        self._position = 0
        self._kids: list[int] = []
        self._next = FONT + 1
        self._write(HEADER)
        self._object(FONT, b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>")

    def __enter__(self) -> PicturePdf:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:  # a half-written file is no PDF: leave nothing behind
            self._out.close()
            self.path.unlink(missing_ok=True)

    def add_page(self, width: float, height: float, image: PageImage, overlay: bytes = b"") -> None:
        """Add a page of width × height points showing the image, then the overlay operators."""
        image_ref, contents_ref, page_ref = self._next, self._next + 1, self._next + 2
        self._next += 3
        self._stream(
            image_ref,
            _image_dict(image),
            image.data if image.kind != "bilevel" else zlib.compress(image.data, 9),
        )
        draw = b"q %.4f 0 0 %.4f 0 0 cm /Im0 Do Q\n" % (width, height)
        self._stream(contents_ref, b"/Filter/FlateDecode", zlib.compress(draw + overlay, 6))
        self._object(
            page_ref,
            b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 %.4f %.4f]/Contents %d 0 R"
            b"/Resources<</XObject<</Im0 %d 0 R>>/Font<</%s %d 0 R>>>>>>"
            % (PAGES, width, height, contents_ref, image_ref, FONT_NAME, FONT),
        )
        self._kids.append(page_ref)

    def close(self) -> None:
        """Finish the file: page tree, catalog, document info, cross-reference table."""
        kids = b" ".join(b"%d 0 R" % ref for ref in self._kids)
        self._object(PAGES, b"<</Type/Pages/Kids[%s]/Count %d>>" % (kids, len(self._kids)))
        self._object(CATALOG, b"<</Type/Catalog/Pages %d 0 R>>" % PAGES)
        info_ref = self._next
        fields = b"".join(b"/%s %s" % (key.encode(), pdf_text(value)) for key, value in self.info.items())
        self._object(info_ref, b"<<%s>>" % fields)
        # The same pages give the same bytes, so the same file id: building twice stores once.
        file_id = self._digest.hexdigest()[:32].encode()
        xref_at = self._position
        size = info_ref + 1
        rows = [b"0000000000 65535 f \n"] + [b"%010d 00000 n \n" % self._offsets[n] for n in range(1, size)]
        self._write(b"xref\n0 %d\n%s" % (size, b"".join(rows)))
        self._write(
            b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n"
            % (size, CATALOG, info_ref, file_id, file_id, xref_at)
        )
        self._out.close()

    def _stream(self, number: int, entries: bytes, data: bytes) -> None:
        self._offsets[number] = self._position
        self._write(b"%d 0 obj\n<<%s/Length %d>>\nstream\n" % (number, entries, len(data)))
        self._write(data)
        self._write(b"\nendstream\nendobj\n")

    def _object(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._position
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._digest.update(data)
        self._position += len(data)


def _image_dict(image: PageImage) -> bytes:
    size = b"/Type/XObject/Subtype/Image/Width %d/Height %d" % (image.width, image.height)
    if image.kind == "bilevel":
        return size + b"/ColorSpace/DeviceGray/BitsPerComponent 1/Filter/FlateDecode"
    space = b"/DeviceRGB" if image.kind == "jpeg-rgb" else b"/DeviceGray"
    return size + b"/ColorSpace%s/BitsPerComponent 8/Filter/DCTDecode" % space


def pdf_text(value: str) -> bytes:
    """Return a PDF text string: UTF-16BE with its byte-order mark, written in hex."""
    return b"<feff%s>" % value.encode("utf-16-be").hex().encode()

"""The stamp laid on every page of one open PDF: its resources, forms, page streams and metadata."""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import pikepdf
from pikepdf import Array, Dictionary, Name

from watermark.errors import N_, Reason, WatermarkError
from watermark.ink.pageinks import PageInks
from watermark.marks.dots import dots_content
from watermark.marks.fonts import FontSet
from watermark.marks.layout import BACKING_ALPHA, DIAGONAL_ALPHA, Placement, ResourceNames, StampLayout
from watermark.marks.mark import Mark, verify_url
from watermark.marks.metadata import write_metadata
from watermark.marks.placement import Planner
from watermark.marks.print_tile import tile_pattern, tiles_content
from watermark.marks.qr import qr_image
from watermark.pdf.page_objects import add_form, add_resources, scratch_stream, unarmour, wrap_contents
from watermark.pdf.pagebox import PageBox, displayed_box, grow_page
from watermark.pdf.streams import flate_stream

_Form = tuple[str, pikepdf.Object]  # a form of ours: its name in the page's resources, and the form
_Stamps = dict[tuple[PageBox, Placement], _Form]  # the stamps' forms, by the box and placement they fit
_BUFFER_NAME = re.compile(r"stream <_io\.BytesIO object at 0x[0-9a-fA-F]+>")


class StampResult(NamedTuple):
    """What the ledger records about one stamped file."""

    path: Path | None
    page_count: int
    size: int
    sha256: str
    verify_url: str
    repaired: bool
    warnings: tuple[str | Reason, ...]  # what was repaired (the catalogue's words), then qpdf's own


def first_line(exc: BaseException) -> str:
    """Return the first line of an error's message (qpdf's can run to many)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def damaged(exc: BaseException) -> WatermarkError:
    """Return the refusal of a file qpdf could not read or write."""
    return WatermarkError(
        N_("The PDF is damaged and cannot be repaired: %(detail)s"), code="damaged", detail=first_line(exc)
    )


class Stamped(NamedTuple):
    """What was written, for the check after saving."""

    delivery_id: str
    tokens: tuple[bytes, ...]
    verify_url: str
    repaired: bool
    warnings: tuple[str | Reason, ...]

    def result(self, path: Path | None, size: int, sha256: str) -> StampResult:
        return StampResult(
            path,
            len(self.tokens),
            size,
            sha256,
            self.verify_url,
            self.repaired,
            self.warnings,
        )


class Stamper:
    """Adds the stamp to every page of one open PDF."""

    def __init__(
        self,
        pdf: pikepdf.Pdf,
        mark: Mark,
        secret: bytes,
        fallback_fonts: tuple[str, ...],
        *,
        origin: pikepdf.Pdf | None = None,
        said: Sequence[str] = (),
    ):
        self.pdf = pdf
        self.origin = origin if origin is not None else pdf  # the file opened, when `pdf` is a part of it
        self.said = said  # what qpdf warned of the file on opening it, read (and cleared) before
        self.mark = mark
        self.url = verify_url(mark, secret)
        self.secret = secret
        self.fallback_fonts = fallback_fonts
        # A random prefix keeps our resource names clear of the document's own.
        tail = "".join(secrets.choice(string.ascii_letters) for _ in range(4))
        self.names = ResourceNames(f"Pk{tail}")
        self._tile: pikepdf.Object | None = (
            None  # the form of the copy's tiled code, made with the first page
        )

    def run(self, inks: PageInks, indexes: Sequence[int] | None = None) -> Stamped:
        """Stamp every page where its ink leaves room (`inks` of the source's pages `indexes`)."""
        warned = self._warnings(list(dict.fromkeys(_BUFFER_NAME.sub("PDF", w) for w in self.said)))
        try:
            page_objs, boxes, origins = self._pages(inks, indexes)
            layout, stamps, fonts_only = self._parts(len(page_objs), indexes)
            chosen = list(zip(page_objs, boxes, origins, strict=True))
            tokens = self._stamp_pages(inks, layout, stamps, fonts_only, chosen)
            write_metadata(self.pdf, self.mark)
        except pikepdf.PdfError as exc:
            raise damaged(exc) from None
        warned = self._warnings(warned)
        return Stamped(self.mark.delivery_id, tuple(tokens), self.url, bool(warned), tuple(warned))

    def _pages(
        self, inks: PageInks, indexes: Sequence[int] | None
    ) -> tuple[list[pikepdf.Dictionary], list[PageBox], Sequence[int]]:
        """Return the pages to stamp, their displayed boxes and indexes in the source; start measuring."""
        pages = self.pdf.pages
        count = len(pages)
        if count == 0:
            raise WatermarkError(N_("This PDF has no pages."), code="empty")
        inks.fit(len(self.origin.pages))
        page_objs = [page.obj for page in pages]
        boxes = [displayed_box(page_obj) for page_obj in page_objs]
        origins = indexes if indexes is not None else range(count)
        # First, so that other processes measure while this one makes the stamp's parts.
        inks.prefetch(zip(origins, boxes, strict=True), page_objs)
        return page_objs, boxes, origins

    def _parts(self, count: int, indexes: Sequence[int] | None) -> tuple[StampLayout, _Stamps, dict]:
        """Make what every page's stamp shares: its faces, QR code and resources, and the layout using them.

        Returns the layout, the stamps' forms it makes as pages ask (by box and placement), and
        the resources a page's own stream draws with.
        """
        # A copy of some pages names each by its number in the publication, out of the
        # publication's pages ("Halaman 4/120"), as the request and the reader name them.
        whole = len(self.origin.pages) if indexes is not None else count
        fonts = FontSet.for_text(StampLayout.texts(self.mark, whole), self.names.prefix, self.fallback_fonts)
        image, modules = qr_image(self.pdf, self.url)
        shared = self._shared_resources(fonts, image)
        forms: dict[tuple[float, float], _Form] = {}
        stamps: _Stamps = {}

        def dots(width: float, height: float) -> bytes:
            return f"q /{self._dot_form(forms, width, height, shared)[0]} Do Q\n".encode()

        def stamp(box: PageBox, placement: Placement, content: bytes) -> str:
            name = f"{self.names.prefix}S{len(stamps)}"
            stamps[box, placement] = (name, self._stamp_form(box, content, shared, forms))
            return name

        layout = StampLayout(self.mark, fonts, self.names, modules, whole, dots=dots, forms=stamp)
        return layout, stamps, {Name.Font: shared[Name.Font]}

    def _stamp_pages(
        self,
        inks: PageInks,
        layout: StampLayout,
        stamps: _Stamps,
        fonts_only: dict,
        chosen: Sequence[tuple[pikepdf.Dictionary, PageBox, int]],
    ) -> list[bytes]:
        """Lay the stamp on each page chosen (page, displayed box, index in the source); return the tokens.

        The pages are stamped in the order `inks.in_turn` gives (those other processes measured
        as they come in, the rest from the front); the tokens are returned in the pages' order.
        """
        pdf = self.pdf
        planner = Planner(layout)
        opening = flate_stream(pdf, b"q\n")
        seen: set[tuple[int, int]] = set()
        scratch = scratch_stream(pdf)
        tokens: list[bytes] = [b""] * len(chosen)
        for position in inks.in_turn([index for _, _, index in chosen]):
            page_obj, box, index = chosen[position]
            ink = inks.of_page(index, box, page_obj)
            plan = planner.plan(box.width, box.height, ink)
            if planner.depth > ink.exact_rows:  # it read rows a measure of the foot took as ink unseen
                ink = inks.of_whole_page(index, box)
                plan = planner.plan(box.width, box.height, ink)
            if plan.band:
                box = grow_page(page_obj, box, plan.band, plan.width)
            content, token = layout.page_content(box, index + 1, plan.placement)
            add_resources(page_obj, fonts_only, seen)  # what the page's own stream draws with
            add_form(page_obj, *stamps[box, plan.placement])
            # Left uncompressed: a page's own part is its number and token (a few hundred
            # bytes), deflating it cost more than the rest of the page's stamp.
            original = wrap_contents(page_obj, opening, pikepdf.Stream(pdf, content))
            for stream in original:
                unarmour(scratch, stream, seen, inks.unarmoured(stream))
            tokens[position] = token
        return tokens

    def _warnings(self, earlier: list[str]) -> list[str]:
        """Return `earlier` and then qpdf's new warnings about the file (a repaired xref, say)."""
        found = list(earlier)
        opened = (self.pdf,) if self.origin is self.pdf else (self.origin, self.pdf)
        for pdf in opened:
            for warning in pdf.get_warnings():
                # qpdf names a file read from memory (a repaired one, a stored copy) by Python's
                # description of the buffer: "stream <_io.BytesIO object at 0x7f...>".
                warning = _BUFFER_NAME.sub("PDF", warning)
                if warning not in found:
                    found.append(warning)
        return found

    def _dot_form(
        self,
        forms: dict[tuple[float, float], tuple[str, pikepdf.Object]],
        width: float,
        height: float,
        shared: dict,
    ) -> tuple[str, pikepdf.Object]:
        """Return the copy's fingerprint for pages of this size: one form, made once, that each shows."""
        found = forms.get((width, height))
        if found is None:
            content = dots_content(self.secret, self.mark.delivery_id, width, height, self.names.multiply)
            names = self.names
            if self._tile is None:  # the copy's tiled code: one pattern, filled in by every size's form
                self._tile = tile_pattern(self.pdf, self.mark.delivery_id)
            resources = Dictionary(
                ExtGState=Dictionary(shared[Name.ExtGState]),
                Pattern=Dictionary({"/" + names.code: self._tile}),
            )
            form = self.pdf.make_indirect(
                flate_stream(
                    self.pdf,
                    content + tiles_content(names.code, width, height, names.multiply),
                    Type=Name.XObject,
                    Subtype=Name.Form,
                    BBox=Array([0, 0, width, height]),
                    Resources=resources,
                )
            )
            found = forms[width, height] = (f"{self.names.prefix}D{len(forms)}", form)
        return found

    def _stamp_form(
        self, box: PageBox, content: bytes, shared: dict, forms: dict[tuple[float, float], _Form]
    ) -> pikepdf.Object:
        """Return the form of what the stamp draws alike on pages of one box and placement."""
        dot_name, dot_form = self._dot_form(forms, box.width, box.height, shared)
        resources = Dictionary(
            Font=Dictionary(shared[Name.Font]),
            ExtGState=Dictionary(shared[Name.ExtGState]),
            XObject=Dictionary({**shared[Name.XObject], "/" + dot_name: dot_form}),
        )
        return self.pdf.make_indirect(
            flate_stream(
                self.pdf,
                content,
                Type=Name.XObject,
                Subtype=Name.Form,
                BBox=Array([0, 0, box.width, box.height]),
                Resources=resources,
            )
        )

    def _shared_resources(self, fonts: FontSet, image: pikepdf.Object) -> dict[Name, dict]:
        pdf, names = self.pdf, self.names

        def alpha(value: float) -> pikepdf.Object:
            return pdf.make_indirect(Dictionary(Type=Name.ExtGState, ca=value, CA=value, BM=Name.Normal))

        return {
            Name.Font: {"/" + k: v for k, v in fonts.embed(pdf).items()},
            Name.XObject: {"/" + names.qr: image},
            Name.ExtGState: {
                "/" + names.faint: alpha(DIAGONAL_ALPHA),
                "/" + names.backing: alpha(BACKING_ALPHA),
                # The fingerprint's dots darken paper and leave ink as it is.
                "/" + names.multiply: pdf.make_indirect(
                    Dictionary(Type=Name.ExtGState, ca=1, CA=1, BM=Name.Multiply)
                ),
            },
        }

"""Stamp a PDF: every page gets its own mark, the file is rewritten whole and checked."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import secrets
import string
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from watermark.active_content import remove_active_content
from watermark.errors import WatermarkError
from watermark.fingerprint import dots_content
from watermark.fonts import FontSet
from watermark.inkmap import InkMap
from watermark.layout import BACKING_ALPHA, DIAGONAL_ALPHA, ResourceNames, StampLayout
from watermark.mark import NOTICE, Mark, verify_url
from watermark.page_objects import add_form, add_resources, unarmour, wrap_contents
from watermark.pagebox import displayed_box, grow_page
from watermark.pageinks import PageInks, Source, page_inks
from watermark.placement import plan_page
from watermark.print_code import tile_pattern, tiles_content
from watermark.qr import qr_image
from watermark.repair import repair
from watermark.streams import flate_stream

XMP_NAMESPACE = "https://pustaka.bps.go.id/ns/watermark/1.0/"
XMP_PREFIX = "pustaka"
DOCINFO_KEY = Name("/PustakaDeliveryID")
_Form = tuple[str, pikepdf.Object]  # a form of ours: its name in the page's resources, and the form
ID_PREFIX = b"PSTK"  # the document /ID's first element is PSTK + delivery id


@dataclass(frozen=True)
class StampResult:
    """What the ledger records about one stamped file."""

    path: Path | None
    page_count: int
    size: int
    sha256: str
    verify_url: str
    repaired: bool
    warnings: tuple[str, ...]


def stamp_pdf(
    source: str | os.PathLike[str] | bytes,
    target: str | os.PathLike[str],
    mark: Mark,
    secret: bytes,
    *,
    pages: Sequence[int] = (),
    fallback_fonts: tuple[str, ...] = (),
    ink: InkMap | None = None,
) -> StampResult:
    """Write a stamped copy of `source` (or of its `pages`) to `target`, atomically, after checking it.

    `ink` is the kept ink of the source's pages (see `stamp_pdf_bytes`).
    """
    target = Path(target)
    if not target.parent.is_dir():
        raise WatermarkError(f"Folder tujuan tidak ada: {target.parent}", code="not_found")
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        data, stamped = _stamp_checked(
            source, ink, partial(_stamp_once, temporary, mark, secret, pages, fallback_fonts)
        )
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return stamped.result(target, data)


def stamp_pdf_bytes(
    source: str | os.PathLike[str] | bytes,
    mark: Mark,
    secret: bytes,
    *,
    pages: Sequence[int] = (),
    fallback_fonts: tuple[str, ...] = (),
    ink: InkMap | None = None,
) -> tuple[bytes, StampResult]:
    """Return a stamped, checked copy of a PDF (or of its `pages`) with its ledger facts.

    `pages` are 1-based page numbers, in the order the copy has them; empty means every
    page. The chosen pages are taken and stamped in one pass: the file is written once.
    `ink` is the ink kept for this very source (the caller checks it is the same file): a
    page it holds for the box the page has is not rendered again, and each page measured
    here is added to it (`ink.changed`), for the caller to keep.
    """
    data, stamped = _stamp_checked(
        source, ink, partial(_stamp_once, None, mark, secret, pages, fallback_fonts)
    )
    return data, stamped.result(None, data)


def _stamp_checked(source: Source, ink: InkMap | None, attempt: _Attempt) -> tuple[bytes, _Stamped]:
    """Stamp `source` with `attempt` (stamp, write, check); return what was written.

    A file qpdf cannot open, or opens only to write a copy that fails the check (a file cut
    short: qpdf finds its pages but writes a copy without its catalogue), is repaired
    (`watermark.repair`) and stamped again, once; the repairs are told in the warnings.
    """
    try:
        return attempt(source, ink)
    except WatermarkError as error:
        if error.code not in ("damaged", "encrypted", "verify_failed"):
            raise
        fixed = repair(source)
        if fixed is None:
            raise
    # What was kept of the ink was measured on the file as it was.
    data, stamped = attempt(fixed.data, None)
    return data, replace(stamped, repaired=True, warnings=fixed.notes + stamped.warnings)


def _stamp_once(
    target: Path | None,
    mark: Mark,
    secret: bytes,
    pages: Sequence[int],
    fallback_fonts: tuple[str, ...],
    source: Source,
    ink: InkMap | None,
) -> tuple[bytes, _Stamped]:
    """Stamp `source` into `target` (None: in memory), read what was written back and check it."""
    written: Path | io.BytesIO = io.BytesIO() if target is None else target
    stamped = _stamp(source, written, mark, secret, pages, fallback_fonts, ink)
    # A buffer's bytes share its memory: no second copy of a large file.
    data = written.getvalue() if isinstance(written, io.BytesIO) else written.read_bytes()
    _verify(data, stamped)
    return data, stamped


def _stamp(
    source: str | os.PathLike[str] | bytes,
    target: Path | io.BytesIO,
    mark: Mark,
    secret: bytes,
    pages: Sequence[int],
    fallback_fonts: tuple[str, ...],
    ink: InkMap | None,
) -> _Stamped:
    """Open `source`, take the chosen pages, stamp them and write the file once."""
    with _open(source) as pdf, _chosen_pages(pdf, pages) as chosen, page_inks(source, ink) as inks:
        try:
            # Whatever the stored file holds (one taken in before access copies were cleaned,
            # say), the copy handed out carries nothing that runs, reaches out or unpacks.
            remove_active_content(chosen)
        except pikepdf.PdfError as exc:
            raise _damaged(exc) from None
        indexes = [number - 1 for number in pages] if pages else None
        stamped = _Stamper(chosen, mark, secret, fallback_fonts, origin=pdf).run(inks, indexes)
        _save(chosen, target, restrictions_of=pdf)
    return stamped


@contextlib.contextmanager
def _chosen_pages(pdf: pikepdf.Pdf, pages: Sequence[int]) -> Iterator[pikepdf.Pdf]:
    """Yield `pdf` itself, or a new document of its `pages` (1-based, in the order given).

    The new document holds the pages and what they use; the publication's outline, page
    labels and document information are left behind.
    """
    if not pages:
        yield pdf
        return
    try:
        count = len(pdf.pages)
    except pikepdf.PdfError as exc:
        raise _damaged(exc) from None
    outside = [number for number in pages if not 1 <= number <= count]
    if outside:
        shown = ", ".join(str(n) for n in outside[:5]) + (", ..." if len(outside) > 5 else "")
        raise WatermarkError(
            f"Halaman {shown} tidak ada: PDF ini berisi halaman 1 sampai {count}.", code="bad_pages"
        )
    with pikepdf.new() as part:
        try:
            # Each page comes with what it references, its form fields and link targets
            # among them. qpdf reads stream data from the source only when the copy is
            # saved, so the source stays open until then.
            part.add_pages_from(pdf, [number - 1 for number in pages])
        except pikepdf.PdfError as exc:
            raise _damaged(exc) from None
        yield part


def _open(source: str | os.PathLike[str] | bytes) -> pikepdf.Pdf:
    """Open a PDF, letting qpdf repair a broken xref; refuse what cannot be read."""
    stream: io.BytesIO | str
    if isinstance(source, bytes | bytearray):
        head, stream = bytes(source[:1024]), io.BytesIO(source)
    else:
        try:
            with open(source, "rb") as handle:
                head = handle.read(1024)
        except FileNotFoundError:
            raise WatermarkError(f"Berkas tidak ditemukan: {source}", code="not_found") from None
        except OSError as exc:
            raise WatermarkError(f"Berkas tidak dapat dibaca: {exc}", code="not_found") from None
        stream = os.fspath(source)
    if b"%PDF-" not in head:
        raise WatermarkError("Berkas ini bukan PDF.", code="not_pdf")
    try:
        return pikepdf.open(stream, password="")
    except pikepdf.PasswordError:
        raise WatermarkError(
            "PDF ini dikunci kata sandi pembuka; buka kuncinya (qpdf --decrypt) lalu unggah lagi.",
            code="encrypted",
        ) from None
    except pikepdf.PdfError as exc:
        raise _damaged(exc) from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _damaged(exc: BaseException) -> WatermarkError:
    return WatermarkError(f"PDF rusak dan tidak dapat diperbaiki: {_first_line(exc)}", code="damaged")


@dataclass(frozen=True)
class _Stamped:
    """What was written, for the check after saving."""

    delivery_id: str
    tokens: tuple[bytes, ...]
    verify_url: str
    repaired: bool
    warnings: tuple[str, ...]

    def result(self, path: Path | None, data: bytes) -> StampResult:
        return StampResult(
            path,
            len(self.tokens),
            len(data),
            hashlib.sha256(data).hexdigest(),
            self.verify_url,
            self.repaired,
            self.warnings,
        )


# One try at a stamped, checked copy: of this source, with this kept ink.
_Attempt = Callable[[Source, InkMap | None], tuple[bytes, _Stamped]]


class _Stamper:
    """Adds the stamp to every page of one open PDF."""

    def __init__(
        self,
        pdf: pikepdf.Pdf,
        mark: Mark,
        secret: bytes,
        fallback_fonts: tuple[str, ...],
        *,
        origin: pikepdf.Pdf | None = None,
    ):
        self.pdf = pdf
        self.origin = origin if origin is not None else pdf  # the file opened, when `pdf` is a part of it
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

    def run(self, inks: PageInks, indexes: Sequence[int] | None = None) -> _Stamped:
        """Stamp every page where its ink leaves room (`inks` of the source's pages `indexes`)."""
        pdf, mark = self.pdf, self.mark
        warned = self._warnings([])
        try:
            pages = pdf.pages
            count = len(pages)
            if count == 0:
                raise WatermarkError("PDF ini tidak memiliki halaman.", code="empty")
            inks.fit(len(self.origin.pages))
            fonts = FontSet.for_text(StampLayout.texts(mark, count), self.names.prefix, self.fallback_fonts)
            image, modules = qr_image(pdf, self.url)
            shared = self._shared_resources(fonts, image)
            forms: dict[tuple[float, float], _Form] = {}

            def dots(width: float, height: float) -> bytes:
                return f"q /{self._dot_form(forms, width, height, shared)[0]} Do Q\n".encode()

            layout = StampLayout(mark, fonts, self.names, modules, count, dots=dots)
            opening = flate_stream(pdf, b"q\n")
            seen: set[tuple[int, int]] = set()
            tokens = []
            for number, page in enumerate(pages, start=1):
                page_obj = page.obj
                box = displayed_box(page_obj)
                index = indexes[number - 1] if indexes is not None else number - 1
                ink = inks.of_page(index, box)
                plan = plan_page(layout, box.width, box.height, ink)
                if plan.band:
                    box = grow_page(page_obj, box, plan.band, plan.width)
                content, token = layout.page_content(box, number, plan.placement)
                add_resources(page_obj, shared, seen)
                add_form(page_obj, *self._dot_form(forms, box.width, box.height, shared))
                original = wrap_contents(page_obj, opening, flate_stream(pdf, content))
                for stream in original:
                    unarmour(pdf, stream, seen)
                tokens.append(token)
            self._write_metadata()
        except pikepdf.PdfError as exc:
            raise _damaged(exc) from None
        warned = self._warnings(warned)
        return _Stamped(mark.delivery_id, tuple(tokens), self.url, bool(warned), tuple(warned))

    def _warnings(self, earlier: list[str]) -> list[str]:
        """Return `earlier` and then qpdf's new warnings about the file (a repaired xref, say)."""
        found = list(earlier)
        opened = (self.pdf,) if self.origin is self.pdf else (self.origin, self.pdf)
        for pdf in opened:
            found += [w for w in pdf.get_warnings() if w not in found]
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

    def _write_metadata(self) -> None:
        pdf, delivery_id = self.pdf, self.mark.delivery_id
        from pikepdf.models.metadata import PdfMetadata

        PdfMetadata.register_xml_namespace(XMP_NAMESPACE, XMP_PREFIX)
        # pikepdf warns when it has to repair a publisher's broken XMP; that is not ours
        # to fail on, and the repaired record still receives the delivery id.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
                meta[f"{XMP_PREFIX}:DeliveryId"] = delivery_id
                meta["xmpRights:Marked"] = "True"
                meta["xmpRights:UsageTerms"] = NOTICE
                if self.mark.title:
                    meta["dc:title"] = self.mark.title
        pdf.docinfo[DOCINFO_KEY] = delivery_id
        if self.mark.title:
            pdf.docinfo[Name.Title] = self.mark.title  # viewers show it instead of the file name
        # qpdf keeps the first /ID element on every rewrite, so the id survives re-saving.
        pdf.trailer.ID = Array([String(ID_PREFIX + delivery_id.encode()), String(os.urandom(16))])


def _save(pdf: pikepdf.Pdf, target: Path | io.BytesIO, *, restrictions_of: pikepdf.Pdf) -> None:
    """Write the whole file anew (never an incremental update), keeping the source's restrictions."""
    try:
        _write(pdf, target, restrictions_of)
    except pikepdf.PdfError as exc:
        raise WatermarkError(
            f"PDF rusak dan tidak dapat ditulis ulang: {_first_line(exc)}", code="damaged"
        ) from None


def _write(pdf: pikepdf.Pdf, target: Path | io.BytesIO, source: pikepdf.Pdf) -> None:
    encryption: pikepdf.Encryption | bool = False
    if source.is_encrypted:
        # The master's owner password is unknown to us: keep its permissions under a
        # fresh random owner password nobody holds, with no password to open.
        encryption = pikepdf.Encryption(owner=secrets.token_urlsafe(24), user="", R=6, allow=source.allow)
    pdf.save(
        target,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=False,  # ours are compressed already; the source's stay as they are
        linearize=False,
        encryption=encryption,
    )


def _verify(data: bytes, stamped: _Stamped) -> None:
    """Reopen the written file and insist that every page carries its own mark."""

    def fail(reason: str) -> WatermarkError:
        return WatermarkError(f"Hasil cap gagal diperiksa: {reason}", code="verify_failed")

    try:
        with pikepdf.open(io.BytesIO(data), password="") as pdf:
            if len(pdf.pages) != len(stamped.tokens):
                raise fail("jumlah halaman berubah")
            for number, (page, token) in enumerate(zip(pdf.pages, stamped.tokens, strict=True), start=1):
                contents = page.obj.get(Name.Contents)
                if not isinstance(contents, Array) or len(contents) < 2:
                    raise fail(f"halaman {number} tanpa cap")
                if token not in contents[len(contents) - 1].read_bytes():
                    raise fail(f"halaman {number} tanpa cap")
            first_id = bytes(pdf.trailer.ID[0]) if Name.ID in pdf.trailer else b""
            if first_id != ID_PREFIX + stamped.delivery_id.encode():
                raise fail("/ID dokumen tidak memuat ID pengiriman")
    except pikepdf.PdfError as exc:
        raise fail(_first_line(exc)) from None

"""Read back every mark in a suspicious PDF, picture or text, and say where each was found."""

from __future__ import annotations

import re
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from watermark import ocr as ocr_tools
from watermark.diagonal import read_diagonal
from watermark.errors import WatermarkError
from watermark.mark import ID_PATTERN, check_signature, is_delivery_id, parse_verify_url

EVIDENCE_KINDS = ("xmp", "docinfo", "document_id", "hidden_text", "visible_text", "diagonal_text", "qr")
_HIDDEN_RE = re.compile(f"PSTK-({ID_PATTERN})-(\\d+)")
# The footer says "ID Pengiriman X"; the diagonal's second line is "ID X" alone.
_VISIBLE_RE = re.compile(f"(?m)ID Pengiriman\\s+({ID_PATTERN})\\b|^\\s*ID\\s+({ID_PATTERN})\\s*$")
_OCR_RE = re.compile(r"(?:PSTK-|\bID\s*(?:Pengiriman|Baca)?\s*:?\s*)([0-9A-Z]{6,32})")
# Element (<pustaka:DeliveryId ...>X<) or attribute (pustaka:DeliveryId="X") form.
_XMP_RE = re.compile(rb"DeliveryId(?:\s[^>]*)?>\s*([0-9A-Z]{6,32})\s*<|DeliveryId=[\"']([0-9A-Z]{6,32})")
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp", ".gif"}
# What OCR confuses with letters ids never contain.
_OCR_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


@dataclass(frozen=True)
class Evidence:
    """One place a delivery id was found."""

    delivery_id: str
    kind: str  # one of EVIDENCE_KINDS
    page: int | None = None  # 1-based page of the examined file; None for the whole file
    detail: str = ""
    signature_valid: bool | None = None  # QR only, when a secret was given


FileType = Literal["pdf", "image", "text"]
QrMode = Literal["auto", "always", "never"]


@dataclass(frozen=True)
class TraceBudget:
    """How much of a long PDF a trace reads, so a 2,000-page file is answered in seconds.

    The text of every page is read while `text_seconds` last (about 1-20 ms a page). QR codes
    cost a render each (20-300 ms a page): they are read on the first `qr_first` pages and on
    pages spread evenly over the rest, `qr_pages` in all, while `qr_seconds` last. What was
    read is reported (`TraceResult.text_pages`, `qr_pages`), never guessed.
    """

    qr_first: int = 5
    qr_pages: int = 20
    qr_seconds: float = 20.0
    text_seconds: float = 30.0


DEFAULT_BUDGET = TraceBudget()


@dataclass(frozen=True)
class TraceResult:
    """Everything read from one file."""

    path: str
    file_type: FileType
    pages: int
    evidence: tuple[Evidence, ...]
    notes: tuple[str, ...] = field(default=())
    text_pages: int = 0  # pages whose text (or, for a picture, OCR) was read: the first ones
    qr_pages: tuple[int, ...] = ()  # pages (1-based; 1 for a single picture) searched for QR codes
    # Ids read off a picture's faint diagonal copies that name nobody by themselves (a character
    # or two misread): the caller may match them against the ids its ledger knows.
    partial_reads: tuple[str, ...] = ()

    @property
    def delivery_ids(self) -> tuple[str, ...]:
        """Return the delivery ids found, the best attested first."""
        counts = Counter(e.delivery_id for e in self.evidence)
        return tuple(sorted(counts, key=lambda d: -counts[d]))

    def kinds(self, delivery_id: str | None = None) -> set[str]:
        """Return the kinds of evidence found (for one delivery, if given)."""
        return {e.kind for e in self.evidence if delivery_id in (None, e.delivery_id)}

    def to_dict(self) -> dict:
        """Return the result as plain data for JSON."""
        data = asdict(self)
        data["delivery_ids"] = list(self.delivery_ids)
        return data


class _Collector:
    def __init__(self, secret: bytes | None) -> None:
        self.secret = secret
        self.found: dict[tuple, Evidence] = {}

    def add(
        self, delivery_id: str, kind: str, page: int | None, detail: str = "", signature: str | None = None
    ) -> None:
        if not is_delivery_id(delivery_id):  # text that merely looks like an id
            return
        valid = None
        if signature is not None and self.secret:
            valid = check_signature(delivery_id, signature, self.secret)
        key = (delivery_id, kind, page)
        if key not in self.found:
            self.found[key] = Evidence(delivery_id, kind, page, detail, valid)

    def text(self, text: str, page: int | None) -> bool:
        """Record the ids in extracted text; tell whether any was found."""
        before = len(self.found)
        for match in _HIDDEN_RE.finditer(text):
            self.add(match.group(1), "hidden_text", page, f"token halaman {match.group(2)}")
        for match in _VISIBLE_RE.finditer(text):
            self.add(match.group(1) or match.group(2), "visible_text", page, match.group(0).strip())
        return len(self.found) > before

    def ocr(self, text: str, page: int | None) -> bool:
        """Record ids Tesseract read, mending letters OCR confuses; tell whether any was."""
        before = len(self.found)
        for match in _OCR_RE.finditer(text):
            candidate = match.group(1).translate(_OCR_FIXES)
            self.add(candidate, "visible_text", page, f"OCR: {match.group(0)}")
        return len(self.found) > before

    def qr(self, texts: list[str], page: int | None) -> bool:
        found = False
        for text in texts:
            parsed = parse_verify_url(text)
            if parsed:
                self.add(parsed[0], "qr", page, text, parsed[1])
                found = True
        return found


def read_marks(
    path: str | Path,
    *,
    secret: bytes | None = None,
    qr: QrMode = "auto",
    dpi: int = 150,
    ocr: bool = True,
    budget: TraceBudget = DEFAULT_BUDGET,
    clock: Callable[[], float] = time.monotonic,
) -> TraceResult:
    """Find every mark in a PDF, picture or extracted text, with where each was found.

    With qr="auto", QR codes of a PDF are read on the first pages and a sample of the rest
    (see TraceBudget); "always" reads them on every page within the budget's time. With a
    secret, each QR's signature is checked too.
    """
    path = Path(path)
    try:
        head = path.read_bytes()[:1024] if path.is_file() else None
    except OSError as exc:
        raise WatermarkError(f"Berkas tidak dapat dibaca: {exc}", code="not_found") from None
    if head is None:
        raise WatermarkError(f"Berkas tidak ditemukan: {path}", code="not_found")
    found = _Collector(secret)
    kind: FileType
    if b"%PDF-" in head:
        read = _read_pdf(path, found, qr, dpi, budget, clock)
        kind = "pdf"
    elif path.suffix.lower() in _IMAGE_SUFFIXES or _looks_like_image(head):
        read = _read_image(path, found, ocr)
        kind = "image"
    else:
        found.text(path.read_text("utf-8", errors="replace"), None)
        read, kind = _Read(0, [], 0, ()), "text"
    return TraceResult(
        str(path),
        kind,
        read.pages,
        tuple(found.found.values()),
        tuple(read.notes),
        read.text_pages,
        read.qr_pages,
        read.partial_reads,
    )


@dataclass(frozen=True)
class _Read:
    """How much of a file was read."""

    pages: int
    notes: list[str]
    text_pages: int
    qr_pages: tuple[int, ...]
    partial_reads: tuple[str, ...] = ()


def qr_sample(page_count: int, qr: QrMode, budget: TraceBudget) -> list[int]:
    """Return the 0-based pages whose QR codes are read, in the order they are read."""
    if qr == "never" or page_count <= 0:
        return []
    if qr == "always" or page_count <= budget.qr_pages:
        return list(range(page_count))
    first = list(range(min(budget.qr_first, budget.qr_pages, page_count)))
    wanted = budget.qr_pages - len(first)
    rest = page_count - len(first)
    # Evenly spread over the pages after the first ones, the last page among them.
    spread = {len(first) + (rest - 1) * (i + 1) // wanted for i in range(wanted)} if wanted > 0 else set()
    return first + sorted(spread - set(first))


def _looks_like_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG", b"\xff\xd8", b"GIF8", b"II*\0", b"MM\0*", b"BM")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    )


def _read_pdf(
    path: Path, found: _Collector, qr: QrMode, dpi: int, budget: TraceBudget, clock: Callable[[], float]
) -> _Read:
    notes = _read_pdf_metadata(path, found)
    import pymupdf

    try:
        document = pymupdf.open(path)
    except (RuntimeError, ValueError) as exc:
        raise WatermarkError(f"PDF tidak dapat dibaca: {exc}", code="damaged") from None
    with document:
        if document.needs_pass and not document.authenticate(""):
            raise WatermarkError("PDF ini dikunci kata sandi pembuka.", code="encrypted")
        count = document.page_count
        text_pages = 0
        deadline = clock() + budget.text_seconds
        for index in range(count):
            if clock() > deadline:
                break
            found.text(document[index].get_text("text"), index + 1)
            text_pages += 1
        qr_pages: list[int] = []
        deadline = clock() + budget.qr_seconds
        for index in qr_sample(count, qr, budget):
            if clock() > deadline:
                break
            found.qr(_page_qr(document[index], dpi), index + 1)
            qr_pages.append(index + 1)
    return _Read(count, notes, text_pages, tuple(sorted(qr_pages)))


def _read_pdf_metadata(path: Path, found: _Collector) -> list[str]:
    """Record ids in XMP, the document information and the document /ID."""
    import pikepdf

    from watermark.pdf import DOCINFO_KEY, ID_PREFIX

    try:
        pdf = pikepdf.open(path, password="")
    except pikepdf.PasswordError:
        raise WatermarkError("PDF ini dikunci kata sandi pembuka.", code="encrypted") from None
    except pikepdf.PdfError as exc:
        return [f"metadata tidak terbaca: {exc}"]
    with pdf:
        metadata = pdf.Root.get("/Metadata")
        if metadata is not None:
            for match in _XMP_RE.finditer(metadata.read_bytes()):
                found.add((match.group(1) or match.group(2)).decode(), "xmp", None)
        info = pdf.trailer.get("/Info")
        value = info.get(DOCINFO_KEY) if info is not None else None
        if value is not None:
            found.add(str(value), "docinfo", None)
        ids = pdf.trailer.get("/ID")
        if ids is not None and len(ids) > 0:
            first = bytes(ids[0])
            if first.startswith(ID_PREFIX):
                found.add(first[len(ID_PREFIX) :].decode("ascii", "replace"), "document_id", None)
    return []


def _page_qr(page, dpi: int) -> list[str]:
    import pymupdf
    from PIL import Image

    from watermark.qr import decode_qr

    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    image = Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)
    return decode_qr(image)


MAX_TRACE_PIXELS = 100_000_000  # a 600-dpi A3 scan is 70 Mpx; more is a bomb, not a photo


def _read_image(path: Path, found: _Collector, ocr: bool) -> _Read:
    from PIL import Image, ImageOps, UnidentifiedImageError

    from watermark.qr import decode_qr

    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise WatermarkError(
            "Gambar terlalu besar untuk dibaca; kirim foto atau pindaian dengan resolusi lebih kecil.",
            code="too_large",
        ) from None
    except (UnidentifiedImageError, OSError) as exc:
        raise WatermarkError(f"Gambar tidak dapat dibaca: {exc}", code="not_image") from None
    width, height = picture.size
    if width * height > MAX_TRACE_PIXELS:
        picture.close()
        raise WatermarkError(
            "Gambar terlalu besar untuk dibaca; kirim foto atau pindaian dengan resolusi lebih kecil.",
            code="too_large",
        )
    read, partial = 0, list[str]()
    with picture:
        frames = getattr(picture, "n_frames", 1)
        for index in range(frames):
            picture.seek(index)
            frame = ImageOps.exif_transpose(picture.convert("RGB"))
            page = index + 1 if frames > 1 else None
            if found.qr(decode_qr(frame), page) or not ocr:
                continue
            if not ocr_tools.tesseract_available():
                notes.append("tesseract tidak terpasang: OCR dilewati")
                continue
            read += 1
            if found.ocr(ocr_tools.read_text(frame), page):
                continue
            # No footer in the picture (a crop): the faint diagonal copies may still be in it.
            diagonal = read_diagonal(frame)
            for reading_id in diagonal.ids:
                found.add(reading_id, "diagonal_text", page, "OCR: ID " + reading_id)
            partial += [r for r in diagonal.raw if r not in diagonal.ids]
    return _Read(frames, notes, read, tuple(range(1, frames + 1)), tuple(dict.fromkeys(partial)))

"""Read back every mark in a suspicious PDF, picture or text, and say where each was found."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from watermark import ocr as ocr_tools
from watermark.errors import WatermarkError
from watermark.mark import ID_PATTERN, check_signature, is_delivery_id, parse_verify_url

EVIDENCE_KINDS = ("xmp", "docinfo", "document_id", "hidden_text", "visible_text", "qr")
_HIDDEN_RE = re.compile(f"PSTK-({ID_PATTERN})-(\\d+)")
# The footer says "ID Pengiriman X"; the diagonal's second line is "ID X" alone.
_VISIBLE_RE = re.compile(f"(?m)ID Pengiriman\\s+({ID_PATTERN})\\b|^\\s*ID\\s+({ID_PATTERN})\\s*$")
_OCR_RE = re.compile(r"(?:PSTK-|\bID\s*(?:Pengiriman)?\s*:?\s*)([0-9A-Z]{6,32})")
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


@dataclass(frozen=True)
class TraceResult:
    """Everything read from one file."""

    path: str
    file_type: FileType
    pages: int
    evidence: tuple[Evidence, ...]
    notes: tuple[str, ...] = field(default=())

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
    qr: Literal["auto", "always", "never"] = "auto",
    dpi: int = 150,
    ocr: bool = True,
) -> TraceResult:
    """Find every mark in a PDF, picture or extracted text, with where each was found.

    With qr="auto", QR codes are looked for only on PDF pages that gave no text mark
    (rendering and decoding costs 0.1-0.3 s a page). With a secret, each QR's
    signature is checked too.
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
        pages, notes = _read_pdf(path, found, qr, dpi)
        kind = "pdf"
    elif path.suffix.lower() in _IMAGE_SUFFIXES or _looks_like_image(head):
        pages, notes = _read_image(path, found, ocr)
        kind = "image"
    else:
        found.text(path.read_text("utf-8", errors="replace"), None)
        pages, notes, kind = 0, [], "text"
    return TraceResult(str(path), kind, pages, tuple(found.found.values()), tuple(notes))


def _looks_like_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG", b"\xff\xd8", b"GIF8", b"II*\0", b"MM\0*", b"BM")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    )


def _read_pdf(path: Path, found: _Collector, qr: str, dpi: int) -> tuple[int, list[str]]:
    notes = _read_pdf_metadata(path, found)
    import pymupdf

    try:
        document = pymupdf.open(path)
    except (RuntimeError, ValueError) as exc:
        raise WatermarkError(f"PDF tidak dapat dibaca: {exc}", code="damaged") from None
    with document:
        if document.needs_pass and not document.authenticate(""):
            raise WatermarkError("PDF ini dikunci kata sandi pembuka.", code="encrypted")
        for index, page in enumerate(document.pages()):
            has_text_mark = found.text(page.get_text("text"), index + 1)
            if qr == "always" or (qr == "auto" and not has_text_mark):
                found.qr(_page_qr(page, dpi), index + 1)
        return document.page_count, notes


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


def _read_image(path: Path, found: _Collector, ocr: bool) -> tuple[int, list[str]]:
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
            found.ocr(ocr_tools.read_text(frame), page)
    return frames, notes

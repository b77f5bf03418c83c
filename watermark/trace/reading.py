"""Read back every mark in a suspicious PDF, picture or text, and say where each was found."""

from __future__ import annotations

import re
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from watermark.errors import N_, Reason, WatermarkError, file_head
from watermark.marks.print_code import read_print_code
from watermark.marks.tile_code import read_code
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.pixels import QR_PIXELS, zoom_within
from watermark.trace import ocr as ocr_tools
from watermark.trace.diagonal import read_diagonal
from watermark.trace.diagonal_match import match_ids
from watermark.trace.evidence import Collector, Evidence

if TYPE_CHECKING:
    from PIL import Image

# Element (<pustaka:DeliveryId ...>X<) or attribute (pustaka:DeliveryId="X") form.
_XMP_RE = re.compile(rb"DeliveryId(?:\s[^>]*)?>\s*([0-9A-Z]{6,32})\s*<|DeliveryId=[\"']([0-9A-Z]{6,32})")
_CODE_PAGES = 3  # first pages of a PDF without any other mark whose tiled code is read (1-3 s a page)
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp", ".gif"}


FileType = Literal["pdf", "image", "text"]
QrMode = Literal["auto", "always", "never"]


@dataclass(frozen=True)
class TraceBudget:
    """How much of a long file a trace reads, so a 100,000-page PDF is answered in seconds.

    The text of the first `text_pages` pages is read while `text_seconds` last (about 1-20 ms
    a page). QR codes cost a render each (20-300 ms a page): they are read on the first
    `qr_first` pages and on pages spread evenly over the rest, `qr_pages` in all, while
    `qr_seconds` last. The frames of a multi-page picture are chosen the same way and read
    (QR, OCR, the picture marks: about 1-5 s a frame) while `picture_seconds` last. What was
    read is reported (`TraceResult.text_pages`, `qr_pages`, and a note when a budget ran out),
    never guessed.
    """

    qr_first: int = 5
    qr_pages: int = 20
    qr_seconds: float = 20.0
    text_pages: int = 5000
    text_seconds: float = 30.0
    picture_seconds: float = 40.0


DEFAULT_BUDGET = TraceBudget()


@dataclass(frozen=True)
class TraceResult:
    """Everything read from one file."""

    path: str
    file_type: FileType
    pages: int
    evidence: tuple[Evidence, ...]
    notes: tuple[Reason, ...] = field(default=())  # what limited the reading, in the catalogue's words
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
        data["notes"] = [str(note) for note in self.notes]  # the English words
        data["delivery_ids"] = list(self.delivery_ids)
        return data


def read_marks(
    path: str | Path,
    *,
    secret: bytes | Sequence[bytes] | None = None,
    qr: QrMode = "auto",
    dpi: int = 150,
    ocr: bool = True,
    budget: TraceBudget = DEFAULT_BUDGET,
    clock: Callable[[], float] = time.monotonic,
) -> TraceResult:
    """Find every mark in a PDF, picture or extracted text, with where each was found.

    With qr="auto", QR codes of a PDF are read on the first pages and a sample of the rest
    (see TraceBudget); "always" reads them on every page within the budget's time. With a
    secret (or a key ring), each QR's signature is checked too.
    """
    path = Path(path)
    head = file_head(path)  # the start alone: a file of hundreds of megabytes is not read whole here
    found = Collector(secret)
    kind: FileType
    if b"%PDF-" in head:
        read = _read_pdf(path, found, qr, dpi, budget, clock)
        kind = "pdf"
    elif path.suffix.lower() in _IMAGE_SUFFIXES or _looks_like_image(head):
        read = _read_image(path, found, ocr, budget, clock)
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
    notes: list[Reason]
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
    path: Path, found: Collector, qr: QrMode, dpi: int, budget: TraceBudget, clock: Callable[[], float]
) -> _Read:
    notes = _read_pdf_metadata(path, found)
    pymupdf = load_pymupdf()

    try:
        document = pymupdf.open(path)
    except (RuntimeError, ValueError) as exc:
        raise WatermarkError(
            N_("The PDF cannot be read: %(detail)s"), code="damaged", detail=str(exc)
        ) from None
    with document:
        if document.needs_pass and not document.authenticate(""):
            raise WatermarkError(N_("This PDF is locked with a password to open it."), code="encrypted")
        count = document.page_count
        text_pages = 0
        deadline = clock() + budget.text_seconds
        for index in range(min(count, budget.text_pages)):
            if clock() > deadline:
                break
            found.text(document[index].get_text("text"), index + 1)
            text_pages += 1
        if text_pages < count:
            notes.append(
                Reason(
                    N_("Text was read on the first %(read)s of %(count)s pages (the reading's limit)."),
                    {"read": f"{text_pages:,}", "count": f"{count:,}"},
                )
            )
        qr_pages: list[int] = []
        deadline = clock() + budget.qr_seconds
        sample = qr_sample(count, qr, budget)
        for index in sample:
            if clock() > deadline:
                break
            found.qr(_page_qr(document[index], dpi), index + 1)
            qr_pages.append(index + 1)
        if len(qr_pages) < len(sample):
            notes.append(
                Reason(
                    N_("QR codes were read on %(read)s of %(sampled)s sampled pages (time ran out)."),
                    {"read": len(qr_pages), "sampled": len(sample)},
                )
            )
        if not found.found:  # no text, metadata or QR: a print scanned back, pages cut out of a copy
            for index in range(min(count, _CODE_PAGES)):
                for delivery_id in read_print_code(_page_picture(document[index], dpi)):
                    found.add(delivery_id, "print_code", index + 1, "ID " + delivery_id)
    return _Read(count, notes, text_pages, tuple(sorted(qr_pages)))


def _read_pdf_metadata(path: Path, found: Collector) -> list[Reason]:
    """Record ids in XMP, the document information and the document /ID."""
    import pikepdf

    from watermark.marks.metadata import DOCINFO_KEY, ID_PREFIX

    try:
        pdf = pikepdf.open(path, password="")
    except pikepdf.PasswordError:
        raise WatermarkError(N_("This PDF is locked with a password to open it."), code="encrypted") from None
    except pikepdf.PdfError as exc:
        return [Reason(N_("the metadata could not be read: %(reason)s"), {"reason": str(exc)})]
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


def _page_picture(page, dpi: int) -> Image.Image:  # noqa: ANN001
    """Return a page rendered in colour at `dpi` (less for a huge page), as the code is read on."""
    pymupdf = load_pymupdf()
    from PIL import Image

    zoom = zoom_within(page.rect.width, page.rect.height, dpi / 72, QR_PIXELS)
    pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB, alpha=False)
    return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


def _page_qr(page, dpi: int) -> list[str]:
    pymupdf = load_pymupdf()
    from PIL import Image

    from watermark.marks.qr import decode_qr

    zoom = zoom_within(page.rect.width, page.rect.height, dpi / 72, QR_PIXELS)
    pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
    image = Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)
    return decode_qr(image)


MAX_TRACE_PIXELS = 100_000_000  # a 600-dpi A3 scan is 70 Mpx; more is a bomb, not a photo
_TOO_LARGE = N_("The picture is too large to read; send a photo or a scan of a lower resolution.")


def _read_image(
    path: Path, found: Collector, ocr: bool, budget: TraceBudget, clock: Callable[[], float]
) -> _Read:
    from PIL import Image, ImageOps, UnidentifiedImageError

    from watermark.marks.qr import decode_qr

    notes: list[Reason] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise WatermarkError(_TOO_LARGE, code="too_large") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise WatermarkError(
            N_("The picture cannot be read: %(detail)s"), code="not_image", detail=str(exc)
        ) from None
    width, height = picture.size
    if width * height > MAX_TRACE_PIXELS:
        picture.close()
        raise WatermarkError(_TOO_LARGE, code="too_large")
    read, partial, searched = 0, list[str](), list[int]()
    with picture:
        frames = getattr(picture, "n_frames", 1)
        chosen = qr_sample(frames, "auto", budget)
        deadline = clock() + budget.picture_seconds
        for index in chosen:
            if clock() > deadline:
                notes.append(
                    Reason(
                        N_("%(read)s of %(sampled)s sampled frames were read (time ran out)."),
                        {"read": len(searched), "sampled": len(chosen)},
                    )
                )
                break
            searched.append(index + 1)
            picture.seek(index)
            frame = ImageOps.exif_transpose(picture.convert("RGB"))
            number = index + 1 if frames > 1 else None
            if found.qr(decode_qr(frame), number):
                continue
            _read_codes(frame, number, found)  # no OCR needed: read whether or not it runs
            if not ocr:
                continue
            if not ocr_tools.tesseract_available():
                notes.append(Reason(N_("Tesseract is not installed: no OCR was done")))
                continue
            read += 1
            partial += _read_frame_text(frame, number, found)
    if len(chosen) < frames:
        notes.append(
            Reason(
                N_("This picture has %(frames)s frames: the first and a sample of the others were read."),
                {"frames": f"{frames:,}"},
            )
        )
    return _Read(frames, notes, read, tuple(searched), tuple(dict.fromkeys(partial)))


def _read_codes(frame: Image.Image, page: int | None, found: Collector) -> None:
    """Record the ids the invisible tiled codes spell: a reader's page picture's, a delivered page's."""
    for reading_id in read_code(frame):
        found.add(reading_id, "tiled_code", page, "ID " + reading_id)
    for delivery_id in read_print_code(frame):  # a crop of a delivered page, a photo of its print
        found.add(delivery_id, "print_code", page, "ID " + delivery_id)


def _read_frame_text(frame: Image.Image, page: int | None, found: Collector) -> list[str]:
    """Read a picture's printed id by OCR, else its faint marks; return damaged diagonal reads."""
    if found.ocr(ocr_tools.read_text(frame), page):
        return []
    # No footer in the picture (a crop): the faint diagonal copies may still be in it.
    # Tesseract reads them only when neither their shapes nor a tiled code named anyone
    # (a picture of another size than the reader's, say): it is slow and less sure.
    shapes = match_ids(frame)
    for reading_id in shapes:
        found.add(reading_id, "diagonal_text", page, "ID " + reading_id)
    if shapes or any(e.page == page for e in found.found.values()):
        return []
    diagonal = read_diagonal(frame)
    for reading_id in diagonal.ids:
        found.add(reading_id, "diagonal_text", page, "OCR: ID " + reading_id)
    return [r for r in diagonal.raw if r not in diagonal.ids]

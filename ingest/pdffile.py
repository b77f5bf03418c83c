"""Opening a PDF defensively: password, damage, page-count and image-size guards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import IngestError
from ingest.limits import Limits
from watermark.pdf.mupdf import load_pymupdf

if TYPE_CHECKING:
    import pymupdf

# A page with fewer extractable characters than this is treated as image only:
# scans often carry a stray page number or a few characters of noise.
MIN_TEXT_CHARS = 16
OCR_DPI = 300
INFO_KEYS = ("title", "author", "subject", "keywords", "creator", "producer", "creationDate", "modDate")
MAX_INFO_CHARS = 2000
# What PDF writers put in when nobody filled a field in (reportlab: anonymous, unspecified).
PLACEHOLDERS = frozenset({"anonymous", "unspecified", "untitled", "unknown", "none", "null", "-", "?", "n/a"})
PDF_DATE = re.compile(
    r"^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?"
)


@dataclass(frozen=True)
class PdfPages:
    """What inspecting a PDF found, page by page."""

    page_count: int
    text_pages: tuple[int, ...]
    image_pages: tuple[int, ...]
    reduced_dpi_pages: tuple[int, ...]
    repaired: bool
    encrypted: bool
    info: dict[str, str]


def mupdf_errors() -> tuple[type[Exception], ...]:
    """Return the exception types PyMuPDF raises on a file it cannot read."""
    pymupdf = load_pymupdf()

    # FileDataError is a RuntimeError; MuPDF's own errors surface as FzErrorBase subclasses.
    return (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase)


def open_pdf(path: Path) -> pymupdf.Document:
    """Open a PDF, repairing what MuPDF can and unlocking an empty user password."""
    pymupdf = load_pymupdf()  # loaded here: it costs ~0.1 s and most callers never need it

    try:
        doc = pymupdf.open(path, filetype="pdf")
    except mupdf_errors():
        fixed = _repaired(path)
        if fixed is not None:
            return fixed
        if _still_encrypted(path):  # an encryption entry no reader can use, over encrypted pages
            raise _locked(path) from None
        # MuPDF's message names the server-side path: not for the person who uploaded it.
        raise IngestError(
            f"{path.name} is a damaged PDF that cannot be repaired. Download or export it "
            "again from its source.",
            code="damaged",
            name=path.name,
        ) from None
    locked = doc.needs_pass and not doc.authenticate("")
    if locked or _without_page_tree(doc):
        fixed = _repaired(path)  # a stale encryption entry, a lost page tree (watermark/pdf/repair.py)
        if fixed is not None:
            doc.close()
            return fixed
    if locked:
        doc.close()
        raise _locked(path)
    return doc


def _locked(path: Path) -> IngestError:
    return IngestError(
        f"{path.name} is protected by a password. Open it with the password, save a copy "
        "without protection and upload that copy.",
        code="encrypted",
        name=path.name,
    )


def was_repaired(doc: pymupdf.Document) -> bool:
    """Tell whether the document had to be repaired to be read (by MuPDF, or before it: a
    document `open_pdf` made from a repair of its file, which MuPDF then read as it was)."""
    return bool(doc.is_repaired) or bool(getattr(doc, "pustaka_repaired", False))


def _without_page_tree(doc: pymupdf.Document) -> bool:
    """Tell whether the catalogue's page tree has no /Kids array (its pages may all be there)."""
    try:
        kind, _ = doc.xref_get_key(doc.pdf_catalog(), "Pages/Kids")
    except mupdf_errors():
        return True
    return kind != "array"


def _still_encrypted(path: Path) -> bool:
    from watermark.pdf.repair import still_encrypted

    return still_encrypted(path)


def _repaired(path: Path) -> pymupdf.Document | None:
    from watermark.pdf.repair import repair

    pymupdf = load_pymupdf()

    fixed = repair(path)
    if fixed is None:
        return None
    try:
        doc = pymupdf.open(stream=fixed.data, filetype="pdf")
    except mupdf_errors():
        return None
    doc.pustaka_repaired = True
    return doc


def inspect_pdf(path: Path, limits: Limits) -> PdfPages:
    """Check every guard on a PDF and classify its pages as text or image only."""
    doc = open_pdf(path)
    with doc:
        count = _page_count(doc, path, limits)
        _check_streams(doc, path, limits)
        text_pages: list[int] = []
        image_pages: list[int] = []
        reduced, lost = [], []
        for number in range(1, count + 1):
            page = _load_page(doc, number, path)
            try:
                if was_repaired(doc) and _lost(doc, page):
                    lost.append(number)
                    continue
                _check_images(doc, page, number, limits)
                area = page.rect.width * page.rect.height * (OCR_DPI / 72) ** 2
                text = page.get_text("text")
            except mupdf_errors() as exc:
                raise _unreadable_page(path, number, exc) from None
            if area > min(limits.max_pixels, limits.ocr_pixels):
                reduced.append(number)
            usable = sum(1 for c in text if not c.isspace() and c != "\ufffd")
            (text_pages if usable >= MIN_TEXT_CHARS else image_pages).append(number)
        if lost and _holds_encryption_dictionary(doc):  # the trailer naming it lost, its pages still locked
            raise _locked(path)
        if lost:
            raise IngestError(
                f"{path.name} is damaged: {len(lost)} of its {count} pages lost their content "
                f"(from page {lost[0]}; the file looks cut short). Download or export it again "
                "from its source.",
                code="damaged",
                name=path.name,
                pages=len(lost),
                first_page=lost[0],
            )
        encrypted = bool((doc.metadata or {}).get("encryption"))
        return PdfPages(
            count,
            tuple(text_pages),
            tuple(image_pages),
            tuple(reduced),
            was_repaired(doc),
            encrypted,
            clean_info(doc.metadata or {}),
        )


def _page_count(doc: pymupdf.Document, path: Path, limits: Limits) -> int:
    # Read the count the page tree claims before MuPDF walks it: a tree claiming 10^7 pages
    # is refused in microseconds instead of being loaded.
    try:
        kind, value = doc.xref_get_key(doc.pdf_catalog(), "Pages/Count")
    except mupdf_errors():
        kind, value = "null", "null"
    claimed = int(value) if kind == "int" else 0
    if claimed <= limits.max_pages:
        try:
            claimed = doc.page_count
        except mupdf_errors() as exc:
            raise IngestError(
                f"{path.name} is a damaged PDF: its page tree cannot be read ({exc}). "
                "Download or export it again from its source.",
                code="damaged",
                name=path.name,
            ) from None
    if claimed > limits.max_pages:
        raise IngestError(
            f"{path.name} has {claimed:,} pages; at most {limits.max_pages:,} are taken in one "
            "file. Split it into volumes and add each one.",
            code="too_many_pages",
            name=path.name,
            pages=claimed,
            limit=limits.max_pages,
        )
    count = claimed
    if count == 0:
        if was_repaired(doc):  # nothing recognisable survived the repair
            raise IngestError(
                f"{path.name} is a damaged PDF: no page could be recovered. Download or "
                "export it again from its source.",
                code="damaged",
                name=path.name,
            )
        raise IngestError(
            f"{path.name} is a PDF without pages. Export the document again.", code="no_pages", name=path.name
        )
    return count


def _load_page(doc: pymupdf.Document, number: int, path: Path) -> pymupdf.Page:
    try:
        return doc.load_page(number - 1)
    except mupdf_errors() as exc:
        raise _unreadable_page(path, number, exc) from None


def _unreadable_page(path: Path, number: int, exc: Exception) -> IngestError:
    return IngestError(
        f"{path.name} is damaged: page {number} cannot be read ({exc}). Download or export it "
        "again from its source.",
        code="damaged",
        name=path.name,
        page=number,
    )


def _lost(doc: pymupdf.Document, page: pymupdf.Page) -> bool:
    """Tell whether repair left this page without its page object or its content, or with content
    that is no PDF operators (still encrypted: a file cut short loses the trailer naming its key)."""
    from watermark.pdf.encryption import reads_as_operators

    if doc.xref_get_key(page.xref, "Type") != ("name", "/Page"):
        return True
    content = []
    for xref in page.get_contents():
        if not doc.xref_is_stream(xref):
            return True
        # MuPDF gives what inflated of a stream deflate refuses: nothing, from encrypted bytes.
        flate = doc.xref_get_key(xref, "Filter") == ("name", "/FlateDecode")
        if flate and not _inflates(doc.xref_stream_raw(xref)):
            return True
        content.append(doc.xref_stream(xref) or b"")
    return not reads_as_operators(b"\n".join(content))


def _inflates(raw: bytes) -> bool:
    """Tell whether the start of a deflate stream inflates (encrypted bytes fail within a few bytes)."""
    import zlib

    try:
        zlib.decompressobj().decompress(raw, INFLATE_STEP)
    except zlib.error:
        return False
    return True


def _holds_encryption_dictionary(doc: pymupdf.Document) -> bool:
    """Tell whether some object is a standard security handler's dictionary."""
    for xref in range(1, doc.xref_length()):
        try:
            if (
                doc.xref_get_key(xref, "Filter") == ("name", "/Standard")
                and doc.xref_get_key(xref, "U")[0] != "null"
            ):
                return True
        except mupdf_errors():
            continue
    return False


ZLIB_MOST_RATIO = 1032  # deflate never inflates more than this: a smaller stream cannot pass the limit
INFLATE_STEP = 16 * 2**20  # inflated a step at a time and thrown away: only the count is kept


def _check_streams(doc: pymupdf.Document, path: Path, limits: Limits) -> None:
    """Refuse a PDF with a stream (not an image) that inflates past `limits.max_stream_bytes`.

    Only Flate streams large enough to pass the limit at deflate's highest ratio are inflated,
    a step at a time with nothing kept: a normal file is read in milliseconds, a bomb stops at
    the limit with no more memory than one step.
    """
    smallest = limits.max_stream_bytes // ZLIB_MOST_RATIO
    for xref in range(1, doc.xref_length()):
        try:
            if not doc.xref_is_stream(xref) or "FlateDecode" not in doc.xref_get_key(xref, "Filter")[1]:
                continue
            if doc.xref_get_key(xref, "Subtype")[1] == "/Image":
                continue  # held by its pixels (`_check_images`)
            raw = doc.xref_stream_raw(xref)
        except mupdf_errors():
            continue  # a damaged object: the page that uses it is refused when read
        if raw is None or len(raw) < smallest:
            continue
        if _inflated_size(raw, limits.max_stream_bytes + 1) > limits.max_stream_bytes:
            limit_mb = limits.max_stream_bytes // 2**20
            raise IngestError(
                f"{path.name} holds a stream that inflates to more than {limit_mb} MB (object {xref}), "
                "which every copy would carry to its reader. Export the document again from its source, "
                "or print it to a new PDF.",
                code="stream_too_large",
                name=path.name,
                object=xref,
                limit_mb=limit_mb,
            )


def _inflated_size(raw: bytes, stop_at: int) -> int:
    """Return how many bytes a deflate stream inflates to, counting no further than `stop_at`."""
    import zlib

    inflater = zlib.decompressobj()
    size, pending = 0, raw
    try:
        while pending and size < stop_at:
            size += len(inflater.decompress(pending, INFLATE_STEP))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # damaged data: what inflated so far is what a reader gets
    return size


def _check_images(doc: pymupdf.Document, page: pymupdf.Page, number: int, limits: Limits) -> None:
    # Image sizes come from the image dictionaries: nothing is decoded.
    for image in page.get_images(full=True):
        width, height = image[2], image[3]
        if width * height > limits.max_pixels:
            raise IngestError(
                f"Page {number} holds an image of {width:,} × {height:,} pixels, more than the "
                f"{limits.max_pixels // 10**6:,} megapixels allowed for one page. Scan that page "
                "again at 300 dpi.",
                code="too_many_pixels",
                page=number,
                width=width,
                height=height,
                limit_megapixels=limits.max_pixels // 10**6,
            )


def clean_info(metadata: dict[str, str]) -> dict[str, str]:
    """Return the document info without blanks or control characters; dates as ISO 8601."""
    info = {}
    for key in INFO_KEYS:
        value = " ".join(re.sub(r"[\x00-\x1f\x7f\ufeff]", " ", metadata.get(key) or "").split())
        if key.endswith("Date"):
            value = pdf_date_iso(value) or value
        if value and value.casefold() not in PLACEHOLDERS:
            info[key] = value[:MAX_INFO_CHARS]
    return info


def pdf_date_iso(value: str) -> str:
    """Turn a PDF date (D:20240228093000+07'00') into ISO 8601, or return ''."""
    match = PDF_DATE.match(value)
    if not match:
        return ""
    year, month, day, hour, minute, second, zulu, sign, tz_h, tz_m = match.groups()
    if not 1 <= int(month or 1) <= 12 or not 1 <= int(day or 1) <= 31:
        return ""
    iso = f"{year}-{month or '01'}-{day or '01'}"
    if hour:
        iso += f"T{hour}:{minute or '00'}:{second or '00'}"
        if zulu:
            iso += "Z"
        elif sign:
            iso += f"{sign}{tz_h}:{tz_m or '00'}"
    return iso

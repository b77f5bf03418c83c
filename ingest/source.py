"""What a source is (PDF, page images, a folder of them), checked before any real work."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import IngestError
from ingest.images import Frame, read_frames
from ingest.limits import Limits
from ingest.pdffile import OCR_DPI, inspect_pdf, mupdf_errors, open_pdf
from watermark.pdf.mupdf import load_pymupdf

if TYPE_CHECKING:
    import pymupdf


class SourceKind(StrEnum):
    """The kinds of source the engine takes in; IMAGES is a folder of page images."""

    PDF = "pdf"
    TIFF = "tiff"
    JPEG = "jpeg"
    PNG = "png"
    IMAGES = "images"


MEDIA_TYPES = {
    SourceKind.PDF: "application/pdf",
    SourceKind.TIFF: "image/tiff",
    SourceKind.JPEG: "image/jpeg",
    SourceKind.PNG: "image/png",
    SourceKind.IMAGES: "inode/directory",
}
IMAGE_KINDS = (SourceKind.TIFF, SourceKind.JPEG, SourceKind.PNG)
# Files scanners and file managers drop into folders; never pages.
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini"})
HEAD_BYTES = 1024  # a PDF header may sit anywhere in the first kilobyte
# EXIF orientation -> counter-clockwise turn that makes the stored image upright.
UPRIGHT_TURN = {3: 180, 6: 270, 8: 90}
JPEG_QUALITY = 92  # a page image reduced for the base PDF: no visible loss at its resolution


@dataclass(frozen=True)
class SourceFacts:
    """What inspecting a source found: its kind, pages and document info."""

    kind: SourceKind
    media_type: str
    page_count: int
    text_pages: tuple[int, ...]
    image_pages: tuple[int, ...]
    origin: str  # "born_digital" | "scanned" | "mixed"
    repaired: bool
    info: dict[str, str] = field(default_factory=dict)
    # Pages so large that 300 dpi would pass the OCR pixel budget: OCR renders them lower.
    reduced_dpi_pages: tuple[int, ...] = ()
    encrypted: bool = False  # an empty user password: opened, rewritten without it


def sniff(path: Path) -> SourceKind:
    """Tell what a file or folder holds from its magic bytes, never its name."""
    if path.is_dir():
        folder_images(path)
        return SourceKind.IMAGES
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head:
        raise IngestError(
            f"{path.name} is empty (0 bytes). Copy or download it again.", code="empty_file", name=path.name
        )
    if head.startswith(b"\xff\xd8\xff"):
        return SourceKind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return SourceKind.PNG
    if head[:4] in (b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"):
        return SourceKind.TIFF
    if b"%PDF-" in head:
        return SourceKind.PDF
    raise IngestError(
        f"{path.name} is not a PDF, TIFF, JPEG or PNG file, whatever its name says. Save or "
        "export it as PDF, or scan the pages to TIFF, JPEG or PNG.",
        code="unsupported_type",
        name=path.name,
    )


def source_files(path: Path) -> list[Path]:
    """Return [path] for a file, or the page images of a folder in natural name order."""
    return folder_images(path) if path.is_dir() else [path]


def folder_images(folder: Path) -> list[Path]:
    """Return a folder's page images sorted "2.jpg" before "10.jpg"; refuse anything else."""
    images = []
    for entry in folder.iterdir():
        if entry.name.startswith(".") or entry.name.casefold() in IGNORED_NAMES:
            continue
        kind = None if entry.is_dir() else _kind_in_folder(entry)
        if kind not in IMAGE_KINDS:
            what = "a subfolder" if entry.is_dir() else "a file that is not a page image"
            raise IngestError(
                f"The folder {folder.name} holds {what}, {entry.name}; a folder must hold only "
                "page images (JPEG, PNG or TIFF). Move the other files out and try again.",
                code="mixed_folder",
                name=folder.name,
                file=entry.name,
            )
        images.append(entry)
    if not images:
        raise IngestError(
            f"The folder {folder.name} holds no page images. Put the scanned pages (JPEG, PNG "
            "or TIFF) in it and try again.",
            code="empty_folder",
            name=folder.name,
        )
    return sorted(images, key=natural_key)


def _kind_in_folder(entry: Path) -> SourceKind | str:
    try:
        return sniff(entry)
    except IngestError as error:
        if error.code == "empty_file":  # a page lost in copying: say which one
            raise
        return "other"


def natural_key(path: Path) -> tuple[list[str | int], str]:
    """Sort key that orders digit runs by value: page2 before page10."""
    parts = re.split(r"(\d+)", path.name.casefold())
    return [int(p) if i % 2 else p for i, p in enumerate(parts)], path.name


def inspect(path: Path, limits: Limits = Limits()) -> SourceFacts:
    """Check every guard on a source, cheaply, and return what it holds."""
    kind = sniff(path)
    files = source_files(path)
    for file in files:
        _check_size(file, limits)
    if kind is SourceKind.PDF:
        return _pdf_facts(path, kind, limits)
    count, reduced = 0, []
    for file in files:
        for frame in read_frames(file, sniff(file).value, limits.max_pages - count):
            count += 1
            _check_frame(path, file, frame, count, limits)
            width, height = frame.page_size()
            if width * height * (OCR_DPI / 72) ** 2 > min(limits.max_pixels, limits.ocr_pixels):
                reduced.append(count)
    pages = tuple(range(1, count + 1))
    return SourceFacts(kind, MEDIA_TYPES[kind], count, (), pages, "scanned", False, {}, tuple(reduced))


def _check_size(file: Path, limits: Limits) -> None:
    """Refuse a file larger than the limit, saying how to make it fit."""
    size = file.stat().st_size
    if size > limits.max_bytes:
        raise IngestError(
            f"{file.name} is {size / 2**20:,.0f} MB; files up to {limits.max_bytes // 2**20:,}"
            " MB are taken in. Split it into volumes or scan at 300 dpi.",
            code="too_large",
            name=file.name,
            size_mb=round(size / 2**20),
            limit_mb=limits.max_bytes // 2**20,
        )


def _pdf_facts(path: Path, kind: SourceKind, limits: Limits) -> SourceFacts:
    """Return what a PDF holds: its pages with text and with images, and how it was made."""
    pdf = inspect_pdf(path, limits)
    origin = "scanned" if not pdf.text_pages else "born_digital" if not pdf.image_pages else "mixed"
    return SourceFacts(
        kind,
        MEDIA_TYPES[kind],
        pdf.page_count,
        pdf.text_pages,
        pdf.image_pages,
        origin,
        pdf.repaired,
        pdf.info,
        pdf.reduced_dpi_pages,
        pdf.encrypted,
    )


def _check_frame(path: Path, file: Path, frame: Frame, count: int, limits: Limits) -> None:
    """Refuse the image page numbered `count` when it is one too many or has too many pixels."""
    if count > limits.max_pages:
        raise IngestError(
            f"{path.name} has more than {limits.max_pages:,} pages; at most "
            f"{limits.max_pages:,} are taken in at once. Split it into volumes.",
            code="too_many_pages",
            name=path.name,
            pages=count,
            limit=limits.max_pages,
        )
    if frame.pixels > limits.max_pixels:
        raise IngestError(
            f"Page {count} ({file.name}) is an image of {frame.width:,} × "
            f"{frame.height:,} pixels, more than the {limits.max_pixels // 10**6:,} "
            "megapixels allowed for one page. Scan that page again at 300 dpi.",
            code="too_many_pixels",
            name=file.name,
            page=count,
            width=frame.width,
            height=frame.height,
            limit_megapixels=limits.max_pixels // 10**6,
        )


def build_base_pdf(path: Path, facts: SourceFacts, target: Path, limits: Limits = Limits()) -> Path:
    """Write the PDF the access copy starts from: the PDF itself, cleaned, or the images."""
    if facts.kind is SourceKind.PDF:
        if facts.repaired or facts.encrypted:
            pymupdf = load_pymupdf()

            # Rewritten so that later steps never meet the damage or the encryption again.
            with open_pdf(path) as doc:
                try:
                    doc.save(target, garbage=3, deflate=True, encryption=pymupdf.mupdf.PDF_ENCRYPT_NONE)
                except mupdf_errors() as exc:
                    raise _unbuildable(path, exc) from None
        else:
            shutil.copyfile(path, target)
        return target
    pymupdf = load_pymupdf()

    out, kept = pymupdf.open(), []
    try:
        with tempfile.TemporaryDirectory(prefix="reduced-", dir=target.parent) as reduced:
            for file in source_files(path):
                kind = sniff(file)
                frames = read_frames(file, kind.value, limits.max_pages)
                try:
                    if kind is SourceKind.TIFF:
                        kept.extend(_add_tiff(out, file, frames, limits, Path(reduced)))
                    else:
                        _add_image(out, file, kind, frames[0], limits, Path(reduced))
                except mupdf_errors() as exc:
                    raise _unbuildable(file, exc) from None
            out.save(target, garbage=3, deflate=True)
    finally:
        for doc in (out, *kept):
            doc.close()
    return target


def _unbuildable(file: Path, exc: Exception) -> IngestError:
    return IngestError(
        f"{file.name} is damaged: it cannot be turned into PDF pages ({exc}). Scan or export it again.",
        code="damaged",
        name=file.name,
    )


def _add_image(
    out: pymupdf.Document, file: Path, kind: SourceKind, frame: Frame, limits: Limits, reduced: Path
) -> None:
    # MuPDF embeds a JPEG's own bytes as a DCT stream and a PNG's pixels losslessly; it
    # ignores EXIF orientation, so the turn is given here.
    width, height = frame.page_size()
    page = out.new_page(width=width, height=height)
    source = file
    if frame.pixels > limits.base_pixels and kind is not SourceKind.JPEG:
        source = reduce_image(file, None, frame, limits.base_pixels, reduced / f"{len(out)}.jpg")
    page.insert_image(
        page.rect, filename=str(source), keep_proportion=False, rotate=UPRIGHT_TURN.get(frame.orientation, 0)
    )


def _add_tiff(
    out: pymupdf.Document, file: Path, frames: list[Frame], limits: Limits, reduced: Path
) -> list[pymupdf.Document]:
    """Add a TIFF's frames as pages; return the documents their pages are drawn from (closed after saving)."""
    pymupdf = load_pymupdf()

    if any(frame.pixels > limits.base_pixels for frame in frames):
        # MuPDF reads the whole file into memory, and decodes a frame whole: libvips reads
        # each frame a strip at a time instead, the large ones reduced.
        _check_tiff_pages(file, len(frames))
        for index, frame in enumerate(frames):
            width, height = frame.page_size()
            page = out.new_page(width=width, height=height)
            picture = reduce_image(file, index, frame, limits.base_pixels, reduced / f"{len(out)}.jpg")
            page.insert_image(page.rect, filename=str(picture), keep_proportion=False)
        return []
    # MuPDF reads every frame (G4, LZW, JPEG...) but sizes pages at 96 dpi when the file
    # states no resolution: place each converted frame on a page of the size computed here.
    with pymupdf.open(file) as images:
        converted = pymupdf.open("pdf", images.convert_to_pdf())
    if converted.page_count != len(frames):
        converted.close()
        raise _tiff_damaged(file, len(frames), converted.page_count)
    for index, frame in enumerate(frames):
        width, height = frame.page_size()
        page = out.new_page(width=width, height=height)
        page.show_pdf_page(page.rect, converted, index, keep_proportion=False)
    return [converted]


def _check_tiff_pages(file: Path, listed: int) -> None:
    import pyvips

    try:
        readable = int(pyvips.Image.new_from_file(str(file), fail_on="error").get("n-pages"))
    except pyvips.Error:
        readable = 0
    if readable != listed:
        raise _tiff_damaged(file, listed, readable)


def _tiff_damaged(file: Path, listed: int, readable: int) -> IngestError:
    return IngestError(
        f"The TIFF file {file.name} is damaged: {listed} pages are listed but "
        f"{readable} can be read. Scan the pages again.",
        code="damaged",
        name=file.name,
    )


def reduce_image(file: Path, frame_index: int | None, frame: Frame, budget: int, target: Path) -> Path:
    """Write a page image (a TIFF's frame `frame_index`), reduced to at most `budget` pixels, as a JPEG.

    libvips reads the file a strip at a time, so a 17,000 x 17,000 colour scan costs about a
    hundred megabytes here instead of the 1.8 GB of MuPDF decoding it whole; and MuPDF embeds
    a JPEG's bytes as they are, where a PNG's pixels are decoded whole to be written again.
    Transparency is laid on white (a page is paper), samples become 8-bit sRGB or grey; the
    orientation is left as stored.
    """
    import pyvips

    scale = min(1.0, (budget / frame.pixels) ** 0.5)
    width, height = max(1, int(frame.width * scale)), max(1, int(frame.height * scale))
    try:
        options = {} if frame_index is None else {"page": frame_index}
        whole = pyvips.Image.new_from_file(str(file), access="sequential", fail_on="error", **options)
        image = whole.thumbnail_image(width, height=height, size="down", no_rotate=True)
        if image.hasalpha():
            image = image.flatten(background=[255] * (image.bands - 1))
        if image.interpretation not in ("srgb", "b-w", "rgb16", "grey16") or image.bands not in (1, 3):
            image = image.colourspace("srgb")
        if image.format != "uchar":
            image = image.cast("uchar", shift=image.format in ("ushort", "short"))
        image.jpegsave(str(target), Q=JPEG_QUALITY, strip=True)
    except pyvips.Error as exc:
        raise IngestError(
            f"{file.name} is damaged: its page {(frame_index or 0) + 1} cannot be read ({str(exc).strip()}). "
            "Scan or export it again.",
            code="damaged",
            name=file.name,
        ) from None
    return target


def page_texts(pdf_path: Path) -> list[str]:
    """Return the text-layer text of every page (index 0 is page 1)."""
    pymupdf = load_pymupdf()

    # Ligatures come out as letters ("fi", not U+FB01) so that search finds the words.
    flags = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_PRESERVE_LIGATURES
    with open_pdf(pdf_path) as doc:
        return [page.get_text("text", flags=flags) for page in doc]

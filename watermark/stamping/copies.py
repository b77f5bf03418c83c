"""Stamp a PDF: every page gets its own mark, the file is rewritten whole and checked."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import secrets
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple, cast

import pikepdf
from pikepdf import Array, Name

from watermark.errors import N_, Reason, WatermarkError, file_head, os_reason
from watermark.ink.ahead import Ahead
from watermark.ink.inkmap import InkMap
from watermark.ink.pageinks import page_inks
from watermark.marks.mark import Mark
from watermark.marks.metadata import ID_PREFIX
from watermark.pdf import leftovers
from watermark.pdf.active_content import remove_active_content
from watermark.pdf.encryption import holds_encryption_dictionary, reads_plain
from watermark.pdf.repair import repair, still_encrypted
from watermark.pdf.source import Source
from watermark.stamping.stamper import Stamped, Stamper, StampResult, damaged, first_line


def stamp_pdf(
    source: str | os.PathLike[str] | bytes,
    target: str | os.PathLike[str],
    mark: Mark,
    secret: bytes,
    *,
    pages: Sequence[int] = (),
    fallback_fonts: tuple[str, ...] = (),
    ink: InkMap | None = None,
    processes: int = 1,
    measuring: Ahead | None = None,
) -> StampResult:
    """Write a stamped copy of `source` (or of its `pages`) to `target`, atomically, after checking it.

    `ink` is the kept ink of the source's pages (see `stamp_pdf_bytes`). Up to `processes`
    measure the pages it lacks, when there are many (`watermark.ink.pageinks`); `measuring` are
    processes already measuring this file's pages (`watermark.ink.claiming.measure_ahead`).
    """
    target = Path(target)
    if not target.parent.is_dir():
        raise WatermarkError(
            N_("The target folder does not exist: %(folder)s"), code="not_found", folder=target.parent
        )
    if target.is_dir():
        raise WatermarkError(
            N_("The target %(target)s is a folder: name the file, e.g. %(example)s"),
            code="not_writable",
            target=target,
            example=target / "salinan.pdf",
        )
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        written, stamped = _stamp_checked(
            source,
            ink,
            partial(_stamp_once, temporary, mark, secret, pages, fallback_fonts, processes, measuring),
        )
        try:
            os.replace(temporary, target)
        except OSError as exc:
            raise _unwritable(target, exc) from None
    finally:
        temporary.unlink(missing_ok=True)
    return stamped.result(target, written.size, written.sha256)


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
    written, stamped = _stamp_checked(
        source, ink, partial(_stamp_once, None, mark, secret, pages, fallback_fonts, 1, None)
    )
    return cast(bytes, written.data), stamped.result(None, written.size, written.sha256)  # in memory


def _stamp_checked(source: Source, ink: InkMap | None, attempt: _Attempt) -> tuple[Written, Stamped]:
    """Stamp `source` with `attempt` (stamp, write, check); return what was written.

    A file qpdf cannot open, or opens only to write a copy that fails the check (a file cut
    short: qpdf finds its pages but writes a copy without its catalogue), is repaired
    (`watermark.pdf.repair`) and stamped again, once; the repairs are told in the warnings. A file
    that needs a password is refused as it is: it is locked, not damaged.
    """
    try:
        return attempt(source, ink)
    except WatermarkError as error:
        if error.code not in ("damaged", "verify_failed"):
            raise
        fixed = repair(source)
        if fixed is None:
            if still_encrypted(source):  # an encryption entry qpdf cannot use, over encrypted pages
                raise WatermarkError(_LOCKED, code="encrypted") from None
            raise
    # What was kept of the ink was measured on the file as it was.
    written, stamped = attempt(fixed.data, None)
    return written, stamped._replace(repaired=True, warnings=fixed.notes + stamped.warnings)


def _stamp_once(
    target: Path | None,
    mark: Mark,
    secret: bytes,
    pages: Sequence[int],
    fallback_fonts: tuple[str, ...],
    processes: int,
    measuring: Ahead | None,
    source: Source,
    ink: InkMap | None,
) -> tuple[Written, Stamped]:
    """Stamp `source` into `target` (None: in memory), open what was written again and check it."""
    written: Path | io.BytesIO = io.BytesIO() if target is None else target
    try:
        stamped = _stamp(source, written, mark, secret, pages, fallback_fonts, ink, processes, measuring)
    finally:
        if measuring is not None:  # they measured this source: a repaired copy stamped next is not it
            measuring.close()
    if isinstance(written, io.BytesIO):
        data = written.getvalue()  # a buffer's bytes share its memory: no second copy of a large file
        _verify(io.BytesIO(data), stamped)
        return Written(data, len(data), hashlib.sha256(data).hexdigest()), stamped
    # A file is checked where it lies, read only as far as the pages' last streams (a 100 MB scan
    # is not read into memory), and hashed in pieces.
    _verify(written, stamped)
    with written.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    return Written(None, written.stat().st_size, digest), stamped


def _stamp(
    source: str | os.PathLike[str] | bytes,
    target: Path | io.BytesIO,
    mark: Mark,
    secret: bytes,
    pages: Sequence[int],
    fallback_fonts: tuple[str, ...],
    ink: InkMap | None,
    processes: int,
    measuring: Ahead | None,
) -> Stamped:
    """Open `source`, take the chosen pages, stamp them and write the file once."""
    pdf, said = _open(source)
    with (
        pdf,
        _chosen_pages(pdf, pages) as chosen,
        page_inks(source, ink, processes, measuring) as inks,
    ):
        try:
            # Whatever the stored file holds (one taken in before access copies were cleaned,
            # say), the copy handed out carries nothing that runs, reaches out or unpacks.
            remove_active_content(chosen)
        except pikepdf.PdfError as exc:
            raise damaged(exc) from None
        indexes = [number - 1 for number in pages] if pages else None
        stamped = Stamper(chosen, mark, secret, fallback_fonts, origin=pdf, said=said).run(inks, indexes)
        _save(chosen, target, restrictions_of=pdf)
    leftovers.held(pdf)  # closed above; freed now unless left to the exit
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
        raise damaged(exc) from None
    outside = [number for number in pages if not 1 <= number <= count]
    if outside:
        shown = ", ".join(str(n) for n in outside[:5]) + (", ..." if len(outside) > 5 else "")
        raise WatermarkError(
            N_("Page %(page)s does not exist: this PDF has pages 1 to %(count)s."),
            code="bad_pages",
            page=shown,
            count=count,
        )
    with pikepdf.new() as part:
        try:
            # Each page comes with what it references, its form fields and link targets
            # among them. qpdf reads stream data from the source only when the copy is
            # saved, so the source stays open until then.
            part.add_pages_from(pdf, [number - 1 for number in pages])
        except pikepdf.PdfError as exc:
            raise damaged(exc) from None
        yield part


def _open(source: str | os.PathLike[str] | bytes) -> tuple[pikepdf.Pdf, list[str]]:
    """Open a PDF, letting qpdf repair a broken xref; refuse what cannot be read.

    Returns the file and what qpdf warned of it on opening (read here, which clears them).
    """
    stream: io.BytesIO | str
    if isinstance(source, bytes | bytearray):
        head, stream = bytes(source[:1024]), io.BytesIO(source)
    else:
        head = file_head(source)
        stream = os.fspath(source)
    if b"%PDF-" not in head:
        raise WatermarkError(N_("This file is not a PDF."), code="not_pdf")
    try:
        pdf = pikepdf.open(stream, password="")
    except pikepdf.PasswordError:
        raise WatermarkError(_LOCKED, code="encrypted") from None
    except pikepdf.PdfError as exc:
        raise damaged(exc) from None
    said = pdf.get_warnings()
    if not pdf.is_encrypted and any(_RECONSTRUCTED in warning for warning in said):
        _check_plain(pdf)
    return pdf, said


_LOCKED = N_("This PDF is locked with a password to open it; unlock it (qpdf --decrypt) and upload it again.")
_RECONSTRUCTED = "reconstruct cross-reference table"


def _check_plain(pdf: pikepdf.Pdf) -> None:
    """Refuse a file whose cross-references qpdf rebuilt into pages that do not read as PDF.

    A file cut short can lose the trailer that named its encryption: qpdf then finds its
    pages without it, their content still encrypted, and a copy would carry garbage.
    """
    if reads_plain(pdf):
        return
    locked = holds_encryption_dictionary(pdf)
    pdf.close()
    if locked:
        raise WatermarkError(_LOCKED, code="encrypted")
    raise WatermarkError(
        N_("The PDF is damaged: the contents of its pages do not read as PDF."), code="damaged"
    )


# One try at a stamped, checked copy: of this source, with this kept ink.
class Written(NamedTuple):
    """A checked copy as written: its bytes (None for a file, left on disk), size and sha256."""

    data: bytes | None
    size: int
    sha256: str


_Attempt = Callable[[Source, InkMap | None], tuple[Written, Stamped]]


def _save(pdf: pikepdf.Pdf, target: Path | io.BytesIO, *, restrictions_of: pikepdf.Pdf) -> None:
    """Write the whole file anew (never an incremental update), keeping the source's restrictions."""
    try:
        _write(pdf, target, restrictions_of)
    except pikepdf.PdfError as exc:
        raise WatermarkError(
            N_("The PDF is damaged and cannot be written anew: %(detail)s"),
            code="damaged",
            detail=first_line(exc),
        ) from None
    except OSError as exc:  # the folder written into: its permissions, a full disk
        raise _unwritable(target, exc) from None


def _unwritable(target: Path | io.BytesIO, exc: OSError) -> WatermarkError:
    where = target.parent if isinstance(target, Path) else Reason(N_("memory"))
    reason = os_reason(exc, writing=True)
    return WatermarkError(
        N_("The copy cannot be written to %(where)s: %(reason)s"),
        code="not_writable",
        where=where,
        reason=reason,
    )


def _write(pdf: pikepdf.Pdf, target: Path | io.BytesIO, source: pikepdf.Pdf) -> None:
    encryption: pikepdf.Encryption | bool = False
    if source.is_encrypted:
        # The master's owner password is unknown to us: keep its permissions under a
        # fresh random owner password nobody holds, with no password to open.
        encryption = pikepdf.Encryption(owner=secrets.token_urlsafe(24), user="", R=6, allow=source.allow)
    record = pdf.Root.get(Name.Metadata)
    pdf.save(
        target,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=False,  # ours are compressed already; the source's stay as they are
        linearize=False,
        encryption=encryption,
        # The XMP record's PDF version is brought up to date where the record states one (pikepdf
        # parses it with lxml to do so); the record a stamp writes itself states none.
        fix_metadata_version=isinstance(record, pikepdf.Stream) and b"PDFVersion" in record.read_bytes(),
    )


def _verify(written: io.BytesIO | Path, stamped: Stamped) -> None:
    """Reopen the written file and insist that every page carries its own mark."""

    def fail(reason: Reason) -> WatermarkError:
        return WatermarkError(
            N_("The stamped copy failed its check: %(reason)s"), code="verify_failed", reason=reason
        )

    try:
        with pikepdf.open(written, password="") as pdf:
            if len(pdf.pages) != len(stamped.tokens):
                raise fail(Reason(N_("the number of pages changed")))
            key = Name.Contents  # made once: every page asks
            for number, (page, token) in enumerate(zip(pdf.pages, stamped.tokens, strict=True), start=1):
                contents = page.obj.get(key)
                if not isinstance(contents, Array) or len(contents) < 2:
                    raise fail(Reason(N_("page %(page)s has no stamp"), {"page": number}))
                if token not in contents[len(contents) - 1].read_bytes():
                    raise fail(Reason(N_("page %(page)s has no stamp"), {"page": number}))
            first_id = bytes(pdf.trailer.ID[0]) if Name.ID in pdf.trailer else b""
            if first_id != ID_PREFIX + stamped.delivery_id.encode():
                raise fail(Reason(N_("the document's /ID does not hold the delivery ID")))
        leftovers.held(pdf)
    except pikepdf.PdfError as exc:
        raise fail(Reason(first_line(exc))) from None

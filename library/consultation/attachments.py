"""Files sent with a consultation's question or with a message: checked by content, kept in the store.

A file is accepted for what its bytes are, whatever its name says: a PDF, a JPEG or PNG
picture, an Excel workbook (XLSX), a Word document (DOCX) or a CSV table (UTF-8 text).
At most `MAX_FILES` files a message, each at most `MAX_BYTES`. The bytes go to the
content-addressed file store; a row names them. Only the person who asked and consultants
may fetch them.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from library.errors import InvalidField
from library.file_names import attachment_name
from library.filestore import FileStore
from library.i18n import N_
from library.models import Consultation, ConsultationAttachment
from library.text import clean_text
from library.uow import UnitOfWork

MAX_FILES = 3
MAX_MB = 5
MAX_BYTES = MAX_MB * 1024 * 1024
FIELD = "attachments"
# The type read from the content, and the extension the file is sent back under.
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV = "text/csv"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", XLSX: "xlsx", DOCX: "docx", CSV: "csv"}
WRONG_TYPE = N_(
    "%(name)s cannot be attached: only PDF, JPEG, PNG, XLSX, DOCX and CSV files are accepted "
    "(the file's content is checked, not its name)."
)


@dataclass(frozen=True)
class Upload:
    """A file as sent: the name it came under and its bytes (read up to one byte past the limit)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class CheckedFile:
    """A file accepted: its name, bytes and the media type its content shows."""

    name: str
    data: bytes
    media_type: str


@dataclass(frozen=True)
class Attachments:
    """Files sent to attach (the use case checks them), and the store their bytes go to."""

    store: FileStore
    uploads: Sequence[Upload] = ()

    def checked(self) -> list[CheckedFile]:
        """Return the files accepted, or refuse the first wrong one (`check_uploads`)."""
        return check_uploads(self.uploads)


@dataclass(frozen=True)
class AttachmentFile:
    """A stored attachment someone may fetch."""

    sha256: str
    media_type: str
    filename: str


def check_uploads(uploads: Sequence[Upload]) -> list[CheckedFile]:
    """Return the files accepted, or refuse the first too many, too large, empty or of a wrong type."""
    sent = [u for u in uploads if u.name or u.data]
    if len(sent) > MAX_FILES:
        raise InvalidField(FIELD, N_("Attach at most %(n)s files to one message."), n=MAX_FILES)
    checked = []
    for upload in sent:
        name = _shown_name(upload.name)
        if not upload.data:
            raise InvalidField(FIELD, N_("%(name)s is empty."), name=name)
        if len(upload.data) > MAX_BYTES:
            raise InvalidField(FIELD, N_("%(name)s is larger than %(mb)s MB."), name=name, mb=MAX_MB)
        media_type = media_type_of(upload.data)
        if media_type is None:
            raise InvalidField(FIELD, WRONG_TYPE, name=name)
        checked.append(CheckedFile(name, upload.data, media_type))
    return checked


def media_type_of(data: bytes) -> str | None:
    """Return the accepted media type the bytes are, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return CSV if _is_text_table(data) else None


def do_attach(
    uow: UnitOfWork,
    attachments: Attachments | None,
    files: Sequence[CheckedFile],
    row: Consultation,
    message_id: int | None,
    uploader_id: int | None,
    now: dt.datetime,
) -> None:
    """Store the checked files and record them on the consultation (with the message, if any).

    `uploader_id` None: the asker outside the web (by email or WhatsApp), who has no account.
    """
    if attachments is None:
        return
    for checked in files:
        stored = attachments.store.put_bytes(checked.data)
        row.attachments.append(
            ConsultationAttachment(
                message_id=message_id,
                sha256=stored.sha256,
                media_type=checked.media_type,
                size_bytes=stored.size,
                original_name=checked.name,
                uploaded_by=uploader_id,
                at=now,
            )
        )
    uow.session.flush()


def download_name(name: str, media_type: str) -> str:
    """Return the name a file is listed and sent under: as sent, with the extension its content calls for."""
    return attachment_name(name, EXTENSIONS[media_type])


def _shown_name(name: str) -> str:
    """Return a sent file's name, tidied and short, without any folder."""
    base = clean_text(name).replace("\\", "/").rsplit("/", 1)[-1]
    return base[:200] or "lampiran"


def _office_type(data: bytes) -> str | None:
    """Return XLSX or DOCX for an Office Open XML package, by the parts it holds; else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return None


def _is_text_table(data: bytes) -> bool:
    """Tell whether the bytes are UTF-8 text with no control characters but tabs and line ends."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return bool(text.strip()) and all(c >= " " or c in "\t\r\n" for c in text)

"""Reading online: a publication's pages stamped for the reader (who may read: library.permissions).

The browser only ever receives page pictures carrying the reader's mark, never the PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from library.catalogue.page_pictures import AHEAD, FORMAT, PagePictures
from library.catalogue.read_access import require_read_online, terminal_read_refusal
from library.catalogue.read_models import seen_publication
from library.errors import NotFound, PustakaError
from library.file_versions.history import version_of_copy
from library.filestore import FileStore
from library.i18n import N_
from library.ledger.deliveries import deliverable_file
from library.ledger.reading_sessions import ReaderIdentity, open_reading_session, reading_session_of
from library.models import PageSource, PageText, Visit
from library.permissions import Actor
from library.uow import UnitOfWork
from watermark.errors import WatermarkError
from watermark.marks.mark import mask_email, stamp_text, when_text
from watermark.pictures.image import MIME_TYPES, encode_picture, page_sizes
from watermark.pictures.notice import notice_picture
from watermark.pictures.thumbnails import CELL, SHEET_PAGES, THUMB_DPI, contact_sheet, empty_sheet

READER_DPI = 110  # sharp on a laptop screen, too coarse to pass for a printed copy
PAGE_MIME_TYPE = MIME_TYPES[FORMAT]
THUMB_QUALITY = 70  # a sheet of twenty thumbnails: ~25 KB
NOTICE_SIZE = (910, 1286)  # an A4 page at READER_DPI


class ReadingFailed(PustakaError):
    """A page could not be drawn from the publication's file."""


class Reader(Protocol):
    """Whoever a page is stamped for: a signed-in person, or a walk-in visit with no account."""

    @property
    def name(self) -> str: ...

    @property
    def email(self) -> str: ...


@dataclass(frozen=True)
class ReadableCopy:
    """A publication the actor may read, and the file its pages are drawn from."""

    publication_id: int
    title: str
    page_count: int | None
    sha256: str
    office_name: str
    timezone: str
    office_code: str = ""


@dataclass(frozen=True)
class Reading:
    """A copy being read, and the reading session whose id its pages carry."""

    copy: ReadableCopy
    session_id: str


@dataclass(frozen=True)
class PageSize:
    """The size in pixels of one page picture."""

    number: int
    width: int
    height: int


@dataclass(frozen=True)
class ThumbnailSheet:
    """One picture of the thumbnails of pages `first` to `last`, one under the other."""

    number: int
    first: int
    last: int
    width: int = CELL[0]
    cell_height: int = CELL[1]

    @property
    def pages(self) -> range:
        """Return the page numbers on the sheet."""
        return range(self.first, self.last + 1)

    @property
    def height(self) -> int:
        """Return the sheet's height in pixels."""
        return self.cell_height * len(self.pages)


@dataclass(frozen=True)
class PageWords:
    """The text of one page, for those who read with a screen reader or want to copy a figure."""

    number: int
    text: str
    from_ocr: bool  # read from a scan by a machine: it may have mistakes


def check_read(
    uow: UnitOfWork, actor: Actor | None, publication_id: int, today: dt.date, *, at_terminal: bool = False
) -> ReadableCopy:
    """Return the copy the actor may read, or raise NotAllowed saying why they may not.

    `at_terminal`: the reader is a walk-in visitor in a live session at a library terminal
    (the caller has checked it), who reads what the terminal rule allows, account or not.
    """
    publication = seen_publication(uow, publication_id, actor, at_terminal=at_terminal)
    level = publication.effective_access(today)
    if at_terminal:
        refusal = terminal_read_refusal(level, publication.embargo_until)
        if refusal is not None:
            raise refusal
    else:
        require_read_online(uow, actor, level, publication.embargo_until)
    try:
        source = deliverable_file(uow, publication_id)
    except NotFound:
        raise NotFound(N_("This publication has no file to read yet.")) from None
    office = publication.issuing_office
    return ReadableCopy(
        publication_id=publication.id,
        title=publication.title,
        page_count=source.page_count,
        sha256=source.sha256,
        office_name=office.name,
        timezone=office.timezone,
        office_code=office.code,
    )


def start_reading(
    uow: UnitOfWork,
    actor: Actor | None,
    reader: ReaderIdentity,
    publication_id: int,
    today: dt.date,
    now: dt.datetime,
    *,
    at_terminal: bool = False,
    session_id: str = "",
    client_address: str = "",
    office_code: str = "",
) -> Reading:
    """Check the actor may read the publication, and return their reading session in the ledger.

    `session_id` continues a session the reader opened before (their own, of this publication);
    otherwise a new session is recorded, so every page picture names a session in the ledger.
    The session belongs to the office that served the reading, whatever office issued the
    publication: the visit's office at a terminal, else `office_code` (the site's office).
    The caller commits.
    """
    copy = check_read(uow, actor, publication_id, today, at_terminal=at_terminal)
    version = version_of_copy(uow, publication_id, copy.sha256)
    session = reading_session_of(uow, session_id.strip().upper(), reader, publication_id)
    if session is None or session.version.number not in (None, version):  # a newer version: a new session
        serving = _serving_office(uow, reader) or office_code or copy.office_code
        session = open_reading_session(uow, reader, publication_id, serving, now, client_address, version)
    return Reading(copy, session.session_id)


def _serving_office(uow: UnitOfWork, reader: ReaderIdentity) -> str:
    """Return the code of the office of the reader's walk-in visit, or "" for a reader online."""
    if reader.visit_id is None:
        return ""
    visit = uow.session.get(Visit, reader.visit_id)
    return "" if visit is None else visit.office.code


def check_page(copy: ReadableCopy, page: int) -> int:
    """Return the page number if the copy has such a page, else raise NotFound."""
    if page < 1 or (copy.page_count is not None and page > copy.page_count):
        raise _no_such_page(page, copy.page_count)
    return page


def _no_such_page(page: int, count: int | None) -> NotFound:
    """Say that a page does not exist, and how many there are when that is known."""
    if count is None:
        return NotFound(N_("There is no page %(page)s in this publication."), page=page)
    return NotFound(
        N_("There is no page %(page)s: its pages run from 1 to %(count)s."), page=page, count=count
    )


def reader_mark_text(
    actor: Reader, office_name: str, now: dt.datetime, timezone: str, place: str = "", session_id: str = ""
) -> str:
    """Return the line drawn on every page the actor reads (in Indonesian, like every stamp).

    `place` names where it is read, such as a library terminal; a reader with no email
    (a walk-in visit without an account) is named alone. `session_id` ends the line as
    "ID Baca …", the id a screenshot is traced by.
    """
    email = f" <{mask_email(actor.email)}>" if actor.email.strip() else ""
    where = f" · {stamp_text(place)}" if place.strip() else ""
    office = f" · {stamp_text(office_name)}" if office_name.strip() else ""
    session = f" · ID Baca {session_id}" if session_id else ""
    return f"Dibaca oleh {stamp_text(actor.name)}{email}{where}{office} · {when_text(now, timezone)}{session}"


def reader_diagonal_text(actor: Reader, session_id: str) -> str:
    """Return the faint text repeated across each page: the reader's name and the session's id."""
    return f"{stamp_text(actor.name)} · ID {session_id}"


def _mark(
    actor: Reader, copy: ReadableCopy, now: dt.datetime, place: str, session_id: str
) -> str | tuple[str, str, str]:
    """Return the reader's mark: the footer line, and with a session the diagonal text and its id too."""
    footer = reader_mark_text(actor, copy.office_name, now, copy.timezone, place, session_id)
    return (footer, reader_diagonal_text(actor, session_id), session_id) if session_id else footer


def page_layout(store: FileStore, copy: ReadableCopy) -> tuple[PageSize, ...]:
    """Return the size of every page picture, so the reader can reserve room before they load."""
    try:
        sizes = page_sizes(store.path_for(copy.sha256), dpi=READER_DPI)
    except WatermarkError as exc:
        raise ReadingFailed(N_("The pages cannot be shown: %(reason)s"), reason=exc) from exc
    return tuple(PageSize(n, w, h) for n, (w, h) in enumerate(sizes, start=1))


def render_page(
    pictures: PagePictures,
    store: FileStore,
    copy: ReadableCopy,
    page: int,
    actor: Reader,
    now: dt.datetime,
    place: str = "",
    session_id: str = "",
) -> bytes:
    """Return one page as a picture stamped with the actor's mark and reading session (PAGE_MIME_TYPE).

    Raises PageNotReady when the page is still being rendered: the reader asks again shortly.
    """
    check_page(copy, page)
    mark = _mark(actor, copy, now, place, session_id)
    try:
        return pictures.picture(
            store.path_for(copy.sha256), copy.sha256, page - 1, READER_DPI, mark, copy.page_count or 0
        )
    except WatermarkError as exc:
        if exc.code == "no_page":  # the file has fewer pages than its record says
            raise _no_such_page(page, copy.page_count) from exc
        raise ReadingFailed(N_("The page cannot be shown: %(reason)s"), reason=exc) from exc


def prepare_reading(
    pictures: PagePictures,
    store: FileStore,
    copy: ReadableCopy,
    pages: tuple[PageSize, ...],
    first: int,
    actor: Reader,
    now: dt.datetime,
    place: str = "",
    session_id: str = "",
) -> None:
    """Start rendering the pages a reader opens at (from page `first`) and drawing their mark.

    The reader's browser asks for those pictures a moment later; they are then ready or nearly.
    """
    if not pages or not 1 <= first <= len(pages):
        return
    opened = pages[first - 1]
    mark = _mark(actor, copy, now, place, session_id)
    wanted = range(first - 1, min(first - 1 + AHEAD, len(pages)))
    pictures.prepare(
        store.path_for(copy.sha256), copy.sha256, wanted, READER_DPI, mark, (opened.width, opened.height)
    )


def thumbnail_sheets(page_count: int) -> tuple[ThumbnailSheet, ...]:
    """Return the thumbnail sheets of a publication of `page_count` pages."""
    return tuple(
        ThumbnailSheet(n, first, min(first + SHEET_PAGES - 1, page_count))
        for n, first in enumerate(range(1, page_count + 1, SHEET_PAGES), start=1)
    )


def thumbnail_sheet(
    pictures: PagePictures, store: FileStore, copy: ReadableCopy, sheet: int, page_count: int
) -> bytes:
    """Return one sheet of page thumbnails (PAGE_MIME_TYPE): unreadably small, so unmarked.

    Raises PageNotReady while its pages are still being rendered; each is rendered only once.
    """
    sheets = thumbnail_sheets(page_count)
    if not 1 <= sheet <= len(sheets):
        raise NotFound(N_("There is no such sheet of page thumbnails."))
    wanted = [n - 1 for n in sheets[sheet - 1].pages]
    try:
        pages = pictures.plains(store.path_for(copy.sha256), copy.sha256, wanted, THUMB_DPI)
    except WatermarkError:  # a page that cannot be drawn: its sheet shows empty pages, the reader says why
        return encode_picture(empty_sheet(len(wanted)), FORMAT, quality=THUMB_QUALITY)
    return encode_picture(contact_sheet(pages), FORMAT, quality=THUMB_QUALITY)


def page_notice(lines: Sequence[str]) -> bytes:
    """Return a picture for a page that cannot be drawn, with `lines` on it (PAGE_MIME_TYPE)."""
    return encode_picture(notice_picture(lines, NOTICE_SIZE), FORMAT, quality=THUMB_QUALITY)


def page_words(uow: UnitOfWork, copy: ReadableCopy, page: int) -> PageWords:
    """Return the text of a page the actor may read (check_read said so), '' when it has none."""
    check_page(copy, page)
    row = uow.session.get(PageText, (copy.publication_id, page))
    if row is None:
        return PageWords(page, "", False)
    return PageWords(page, row.text.strip(), row.source == PageSource.OCR.value)

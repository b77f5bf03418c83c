"""The reader: a publication's pages as pictures stamped with the reader's name; never the PDF."""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import cast

from flask import Response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from library.accounts.ratelimit import TooManyAttempts
from library.catalogue import reading
from library.catalogue.page_pictures import PageNotReady
from library.catalogue.read_access import what_level_allows
from library.catalogue.read_models import PublicationSummary
from library.errors import NotAllowed, NotFound, PustakaError
from library.ledger.reading_sessions import ReaderIdentity
from library.models import AccessLevel
from library.usage.counting import Kind
from watermark.marks.mark import READING_ID_LENGTH, is_delivery_id, new_reading_id
from webapp.auth import client_address, current_actor, login_manager
from webapp.current_runtime import current_runtime
from webapp.dates import day_text
from webapp.forms import refusals
from webapp.i18n import error_message
from webapp.read_rights import anonymous_here, viewer_read_refusal
from webapp.reader.blueprint import bp
from webapp.sending import content_disposition
from webapp.terminal_visitor import current_terminal_visitor
from webapp.usage import record_usage

log = logging.getLogger(__name__)
ANONYMOUS_READER_KEY = "anonymous_reader"  # in the signed session cookie: this browser's anonymous reader
PRIVATE = {
    # A page picture carries one person's name: no cache, proxy or browser may keep it.
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
}


@bp.get("/<int:publication_id>")
def read(publication_id: int) -> BaseResponse | tuple[str, int] | str:
    """Show every page of a publication, loaded as the reader scrolls; ?halaman=N opens page N."""
    if anonymous_here():
        _take_page(_anonymous_quota_key())  # each opening is a ledger row: held to the client's share
    with refusals(catch=NotAllowed) as attempt:
        opened = _start_reading(publication_id)
    if attempt.failed and anonymous_here():  # not open: an account may read it, so ask them to sign in
        return login_manager.unauthorized()
    if attempt.failed:
        return _refused(publication_id, attempt.error)
    pages = reading.page_layout(current_runtime().store, opened.copy)
    wanted = request.args.get("halaman", type=int)
    if wanted is None:
        _prepare(opened, pages, 1)
        return _reader_page(opened, pages, wanted=None)
    with refusals(catch=NotFound) as missing:
        reading.check_page(opened.copy, wanted)
    if missing.failed:
        return _reader_page(opened, pages, wanted=wanted, error=missing.message), 404
    _prepare(opened, pages, wanted)
    # Land on the page itself: the anchor scrolls there without any script.
    anchor = f"hal-{wanted}"
    return redirect(url_for(".read", publication_id=publication_id, sesi=opened.session_id, _anchor=anchor))


def _reader_page(
    opened: reading.Reading,
    pages: tuple[reading.PageSize, ...],
    *,
    wanted: int | None,
    error: str | None = None,
) -> str:
    """Render the reader's page: every page's place, the thumbnail sheets, and any page asked for."""
    return render_template(
        "reader/read.html",
        wanted=wanted,
        error=error,
        copy=opened.copy,
        pages=pages,
        sheets=reading.thumbnail_sheets(len(pages)),
        session_id=opened.session_id,
        anonymous=anonymous_here(),
    )


def _refused(publication_id: int, refusal: PustakaError) -> tuple[str, int]:
    """Render the page saying why this person may not read the publication (403)."""
    page = render_template("reader/refused.html", publication_id=publication_id, reason=refusal_text(refusal))
    return page, 403


def _start_reading(publication_id: int) -> reading.Reading:
    """Check the reader may read, and return their reading session (?sesi= continues their own)."""
    rt = current_runtime()
    with rt.transaction() as uow:  # a new session is in the ledger before any picture names it
        opened = reading.start_reading(
            uow,
            current_actor(),
            _identity(),
            publication_id,
            rt.today(),
            rt.now(),
            at_terminal=current_terminal_visitor() is not None,
            session_id=request.args.get("sesi", "")[:16],
            client_address=request.remote_addr or "",
            office_code=rt.settings.office,
        )
    return opened


def _identity() -> ReaderIdentity:
    """Return who reads, as the reading ledger records them: a terminal's visitor or the signed-in person."""
    visitor = current_terminal_visitor()
    if visitor is not None:
        # The ledger names the visitor as stamped: with how their name was checked.
        return ReaderIdentity(
            visitor.stamped_name, visitor.email, visitor.user_id, visitor.visit_id, visitor.terminal_name
        )
    actor = current_actor()
    if actor is not None:
        return ReaderIdentity(actor.name, actor.email, actor.id)
    anonymous_id = anonymous_reader_id()
    return ReaderIdentity(anonymous_name(anonymous_id), anonymous_id=anonymous_id)


def anonymous_reader_id() -> str:
    """Return the id of this browser session's anonymous reader, minted on their first reading."""
    kept = session.get(ANONYMOUS_READER_KEY)
    if isinstance(kept, str) and len(kept) == READING_ID_LENGTH and is_delivery_id(kept):
        return kept
    minted = new_reading_id()
    session[ANONYMOUS_READER_KEY] = minted
    return minted


def anonymous_name(anonymous_id: str) -> str:
    """Return the name an anonymous reader's pages are stamped with (in Indonesian, like every stamp)."""
    return f"Pembaca anonim {anonymous_id}"


def _prepare(opened: reading.Reading, pages: tuple[reading.PageSize, ...], first: int) -> None:
    """Start the pages the reader's browser is about to ask for (the reader is known here)."""
    rt = current_runtime()
    reader, place = _reader()
    pictures = rt.page_pictures
    reading.prepare_reading(
        pictures,
        rt.store,
        opened.copy,
        pages,
        first,
        reader,
        rt.now(),
        place,
        opened.session_id,
    )


def _reader() -> tuple[reading.Reader, str]:
    """Return whom pages are stamped for and where: the terminal's visitor, or the signed-in person."""
    visitor = current_terminal_visitor()
    if visitor is not None:
        return ReaderIdentity(visitor.stamped_name, visitor.email), visitor.terminal_name
    actor = current_actor()
    if actor is None:
        return ReaderIdentity(anonymous_name(anonymous_reader_id())), ""
    return cast(reading.Reader, actor), ""


@bp.get("/<int:publication_id>/halaman/<int:page>.jpg")
def page_image(publication_id: int, page: int) -> BaseResponse:
    """Send one page as a picture stamped with the reader's mark and reading session (?sesi=)."""
    rt = current_runtime()
    with refusals() as attempt:
        opened = _start_reading(publication_id)
        reader, place = _reader()
        key = _anonymous_quota_key() if anonymous_here() else _quota_key(reader, place)
        wait = rt.page_quota.take(key)
        if wait > 0:
            return _too_fast(wait)
        picture = _render(opened, page, reader, place)
    if attempt.failed and isinstance(attempt.error, reading.ReadingFailed):
        return _undrawable(publication_id, page, attempt.error)
    if attempt.failed:
        return _refusal(attempt.error)
    record_usage(publication_id, Kind.PAGE, page)
    response = Response(picture, mimetype=reading.PAGE_MIME_TYPE, headers=PRIVATE)
    response.headers["Content-Disposition"] = content_disposition(f"halaman-{page}.jpg", inline=True)
    return response


def _render(opened: reading.Reading, page: int, reader: reading.Reader, place: str) -> bytes:
    """Return the page as a picture stamped for the reader, in their reading session."""
    rt = current_runtime()
    return reading.render_page(
        rt.page_pictures,
        rt.store,
        opened.copy,
        page,
        reader,
        rt.now(),
        place,
        opened.session_id,
    )


def _quota_key(reader: reading.Reader, place: str) -> str:
    """Return whose page quota a picture is taken from: the person, or the terminal's visitor."""
    return f"terminal:{place}" if place else f"user:{reader.email.casefold()}"


def _anonymous_quota_key() -> str:
    """Return whose page quota an anonymous reader takes from: their client's address, as for searches."""
    return f"address:{client_address()}"


def _take_page(key: str) -> None:
    """Take one page from the quota of `key` for opening the reader, or refuse saying how long to wait."""
    wait = current_runtime().page_quota.take(key)
    if wait > 0:
        raise TooManyAttempts(dt.timedelta(seconds=wait))


def _too_fast(wait: float) -> BaseResponse:
    """Answer a reader past their page quota: 429, and when to ask again (the reader page does)."""
    seconds = max(1, math.ceil(wait))
    message = _("Pages are being asked for faster than a person reads. Wait %(n)s seconds.", n=seconds)
    headers = {**PRIVATE, "Retry-After": str(seconds)}
    return Response(message, status=429, mimetype="text/plain", headers=headers)


def _undrawable(publication_id: int, page: int, failure: reading.ReadingFailed) -> BaseResponse:
    """Answer a page that cannot be drawn with a picture saying so, in the reader's place for it (409).

    A picture, not text: the reader's page shows it where the page would be, and asks no more.
    """
    log.warning("Page %s of publication %s cannot be drawn: %s", page, publication_id, failure.params)
    notice = reading.page_notice(
        [
            _("Page %(page)s cannot be shown.", page=page),
            _(
                "Its file could not be drawn as a picture. Tell the PST staff: "
                "publication %(id)s, page %(page)s.",
                id=publication_id,
                page=page,
            ),
        ]
    )
    return Response(notice, status=409, mimetype=reading.PAGE_MIME_TYPE, headers=PRIVATE)


@bp.get("/<int:publication_id>/kecil/<int:sheet>.jpg")
def thumbnails(publication_id: int, sheet: int) -> BaseResponse:
    """Send one sheet of page thumbnails (too small to read: no one's name is on them)."""
    visitor = current_terminal_visitor()
    rt = current_runtime()
    with refusals() as attempt:
        with rt.uow() as uow:
            copy = reading.check_read(
                uow, current_actor(), publication_id, rt.today(), at_terminal=visitor is not None
            )
        count = copy.page_count or len(reading.page_layout(rt.store, copy))
        picture = reading.thumbnail_sheet(rt.page_pictures, rt.store, copy, sheet, count)
    if attempt.failed:
        return _refusal(attempt.error)
    # The same for every reader, but only for those allowed to read: a browser may keep it, no proxy.
    headers = {**PRIVATE, "Cache-Control": "private, max-age=86400"}
    return Response(picture, mimetype=reading.PAGE_MIME_TYPE, headers=headers)


@bp.get("/<int:publication_id>/teks/<int:page>")
def page_text(publication_id: int, page: int) -> BaseResponse | tuple[str, int] | str:
    """Show the text of one page, for screen readers and for copying a figure by hand."""
    actor = current_actor()
    visitor = current_terminal_visitor()
    rt = current_runtime()
    with refusals(catch=NotAllowed) as attempt, rt.uow() as uow:
        copy = reading.check_read(uow, actor, publication_id, rt.today(), at_terminal=visitor is not None)
        words = reading.page_words(uow, copy, page)
    if attempt.failed and anonymous_here():
        return login_manager.unauthorized()
    if attempt.failed:
        return _refused(publication_id, attempt.error)
    # Any other refusal (no such page) becomes the site's error page (webapp.errors).
    count = copy.page_count or len(reading.page_layout(rt.store, copy))
    return render_template("reader/text.html", copy=copy, words=words, count=count)


def _refusal(error: PustakaError) -> BaseResponse:
    """Answer a page picture that cannot be given with a short text and the fitting status."""
    response = Response(refusal_text(error), status=409, mimetype="text/plain", headers=PRIVATE)
    if isinstance(error, NotAllowed):
        response.status_code = 403
    elif isinstance(error, NotFound):
        response.status_code = 404
    elif isinstance(error, PageNotReady):  # still rendering: the reader's page asks again
        response.status_code = 503
        response.headers["Retry-After"] = "1"
    return response


def refusal_text(error: PustakaError) -> str:
    """Translate a refusal, writing any date in it the reader's way."""
    params = {
        name: day_text(value, "long") if isinstance(value, dt.date) else value
        for name, value in error.params.items()
    }
    return error_message(PustakaError(error.message, **params))


@bp.app_context_processor
def reading_context() -> dict[str, object]:
    """Let any page ask whether the signed-in person may read a publication."""

    def refusal_of(summary: PublicationSummary) -> str | None:
        refusal = viewer_read_refusal(summary)
        return refusal_text(refusal) if refusal else None

    def access_rule(level: AccessLevel) -> str:
        return _(what_level_allows(level))

    return {"read_refusal": refusal_of, "access_rule": access_rule}

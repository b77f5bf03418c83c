"""The librarian's desk: the delivery ledger (search, CSV export) and tracing a leaked copy."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from flask import Response, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from library.clock import office_zone
from library.errors import InvalidField, InvalidInput
from library.i18n import N_
from library.ledger.deliveries import DeliveryRecord
from library.ledger.search import LedgerQuery, check_ledger_query, ledger_records, search_ledger
from library.ledger.tracing import TraceReport, read_evidence, trace_file
from library.models import DeliveryChannel, Role, User
from library.softcopy.page_ranges import format_page_ranges
from library.text import clean_text
from runtime.apart import ApartFailed, ApartSlots, Busy, TookTooLong
from watermark.errors import Reason, WatermarkError
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.forms import upload_name
from webapp.i18n import enum_label, error_message
from webapp.paging import page_number
from webapp.sending import content_disposition
from webapp.spreadsheet import BOM, SEMICOLON, SEPARATOR, csv_line, delimiter_of

PER_PAGE = 50
FILTERS = ("orang", "publikasi", "saluran", "dari", "sampai")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Files are read apart from the server (runtime/apart.py), two at a time, each within the
# tracer's own budgets (watermark/trace/reading.py: about 90 s at most) and ended after TRACE_SECONDS.
TRACING = ApartSlots(2, wait=20.0, niceness=10)  # below the readers' requests, as batch work
TRACE_SECONDS = 150.0
_PDF_OR_IMAGE = (b"\x89PNG", b"\xff\xd8", b"II*\0", b"MM\0*", b"GIF8", b"BM")


@bp.get("/buku-besar")
@role_required(Role.LIBRARIAN)
def ledger() -> tuple[str, int]:
    """Search the delivery ledger by person, publication, channel and office dates."""
    filters = _filters()
    query_args = {k: v for k, v in filters.items() if v}
    page = page_number()
    result, error, field = None, None, None
    try:
        with current_runtime().uow() as uow:
            result = search_ledger(uow, current_actor(), _ledger_query(filters), page, PER_PAGE)
    except InvalidInput as exc:
        error, field = error_message(exc), getattr(exc, "field", None)
    return render_template(
        "desk/ledger.html",
        result=result,
        filters=filters,
        error=error,
        error_field=field,
        channels=channel_labels(),
        zone_name=current_runtime().timezone(),
        query_args=query_args,
        semicolon_args={**query_args, SEPARATOR: SEMICOLON},
    ), 400 if error else 200


@bp.get("/buku-besar.csv")
@role_required(Role.LIBRARIAN)
def ledger_csv() -> Response:
    """Export every ledger row of the current filter as CSV that Excel opens (UTF-8 with BOM).

    `pemisah=titik-koma` separates the cells with ';': Excel in the Indonesian locale (where
    the comma is the decimal sign) splits a file into columns only at semicolons.
    """
    query = _ledger_query(_filters())
    actor = current_actor()
    with current_runtime().uow() as uow:
        check_ledger_query(uow, actor, query)  # before the first byte: a refusal is a page, not a cut file
    name = f"buku-besar-pengiriman-{current_runtime().today():%Y%m%d}.csv"
    return Response(
        _csv_lines(actor, query, delimiter_of(request.args)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition(name)},
    )


def _csv_lines(actor: User | None, query: LedgerQuery, delimiter: str) -> Iterator[str]:
    """Return the export's lines: the words chosen now, the records read as the response streams."""
    with force_locale("id"):  # the office's spreadsheets are in Indonesian whatever the page language
        header = _csv_header(current_runtime().timezone())
        channels = channel_labels()
    rt, zone = current_runtime(), office_zone(current_runtime().timezone())

    def lines() -> Iterator[str]:
        yield BOM + csv_line(header, delimiter)
        with rt.uow() as uow:
            for record in ledger_records(uow, actor, query):
                permalink = rt.links.persistent(record.publication_identifier)
                cells = _csv_row(record, csv_time(record.delivered_at, zone), channels, permalink)
                yield csv_line(cells, delimiter)

    return lines()


@bp.route("/lacak", methods=["GET", "POST"])
@role_required(Role.LIBRARIAN)
def trace() -> tuple[str, int]:
    """Take a suspicious PDF or picture and show which deliveries its marks name."""
    report, error, filename = None, None, ""
    if request.method == "POST":
        upload = request.files.get("berkas")
        filename = (upload.filename or "") if upload else ""
        try:
            report = _trace_upload(upload)
        except InvalidInput as exc:
            error = error_message(exc)
    return render_template(
        "desk/trace.html",
        report=report,
        error=error,
        filename=filename,
        channels=channel_labels(),
        evidence=evidence_labels(),
        page_ranges=page_ranges,
    ), 400 if error else 200


def _trace_upload(upload: FileStorage | None) -> TraceReport:
    """Save the upload to a private temporary folder, trace it there, and remove it.

    The marks are read in a process of its own (its memory goes back to the system when it
    ends), within the tracer's budgets: the text of the first 5,000 pages for up to 30 s, QR
    codes on 20 pages at most (the first and a sample) for up to 20 s, and for a picture,
    Tesseract and the faint marks on 20 frames at most for up to 40 s; the ledger is then
    asked here.
    """
    if upload is None or not upload.filename:
        raise InvalidInput(N_("Choose a file to trace."))
    name = upload_name(upload.filename, "berkas")
    with tempfile.TemporaryDirectory(prefix="pustaka-trace-") as folder:
        path = Path(folder) / name
        try:
            upload.save(path)
        finally:
            upload.close()  # a large upload is spooled to a temporary file: let it go now
        with open(path, "rb") as handle:
            head = handle.read(1024)
        if not head:
            raise InvalidInput(N_("The file is empty."))
        if b"%PDF-" not in head and not _is_image(head):
            raise InvalidInput(N_("Only a PDF or a picture (JPEG, PNG, TIFF, GIF, BMP, WebP) can be traced."))
        secret = current_runtime().delivery_keys
        try:
            reading = TRACING.run(read_evidence, path, secret, seconds=TRACE_SECONDS)
            with current_runtime().uow() as uow:
                return trace_file(uow, path, secret, reading)
        except Busy:
            raise InvalidInput(
                N_("Two other files are being traced right now. Try again in a minute.")
            ) from None
        except TookTooLong:
            raise InvalidInput(
                N_(
                    "Reading this file took longer than %(seconds)d seconds, so it was stopped. "
                    "Trace only the pages in question, or a smaller picture."
                ),
                seconds=int(TRACE_SECONDS),
            ) from None
        except ApartFailed:
            raise InvalidInput(
                N_(
                    "This file could not be read to the end: it may be damaged or too large. "
                    "Trace only the pages in question, or a smaller picture."
                )
            ) from None
        except InvalidInput as exc:  # name the file as the librarian knows it, not our temporary path
            params = {k: _named(v, path, name) for k, v in exc.params.items()}
            raise InvalidInput(exc.message, **params) from exc


def _named(value: object, path: Path, name: str) -> object:
    """Return a refusal's value with the file named as the librarian knows it; the engine's words kept."""
    if isinstance(value, WatermarkError):  # translated where it is shown: only its values change
        params = {k: _named(v, path, name) for k, v in value.params.items()}
        return WatermarkError(value.message, code=value.code, **params)
    if isinstance(value, Reason):
        return value
    return str(value).replace(str(path), name)


def _is_image(head: bytes) -> bool:
    """Tell whether a file's first bytes are those of a picture format the tracer reads."""
    return head.startswith(_PDF_OR_IMAGE) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def _filters() -> dict[str, str]:
    """Read the ledger filters from the address, cleaned and cut to 200 characters."""
    return {name: clean_text(request.args.get(name, ""))[:200] for name in FILTERS}


def _ledger_query(filters: Mapping[str, str]) -> LedgerQuery:
    """Read the ledger filters of the page; a bad field raises InvalidField naming it."""
    channel = filters["saluran"]
    if channel and channel not in {c.value for c in DeliveryChannel}:
        raise InvalidField("saluran", N_("Choose a channel from the list."))
    return LedgerQuery(
        person=filters["orang"],
        publication=filters["publikasi"],
        channel=DeliveryChannel(channel) if channel else None,
        date_from=date_field(filters, "dari"),
        date_to=date_field(filters, "sampai"),
        timezone=current_runtime().timezone(),
    )


def date_field(filters: Mapping[str, str], name: str) -> dt.date | None:
    """Read a YYYY-MM-DD date field, or None when it is empty."""
    value = filters[name]
    if not value:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidField(name, N_("Write the date as YYYY-MM-DD, for example 2026-03-05.")) from None
    if not 1900 <= day.year <= 2999:
        raise InvalidField(name, N_("Write a date between the years 1900 and 2999."))
    return day


def csv_time(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """Write a moment for the export: ISO 8601 in the office's time (the header names the zone).

    A spreadsheet reads '2026-03-05 23:30:00' as a date and time in any locale; the page
    writes the same moment for people ('5 Maret 2026 23.30 WIB').
    """
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def page_ranges(pages: Iterable[int]) -> str:
    """Write page numbers the short way: 1–3, 7, 9–60."""
    return format_page_ranges(pages, dash="\u2013")


def channel_labels() -> dict[str, str]:
    """Return the words for each delivery channel."""
    return {channel.value: enum_label(channel) for channel in DeliveryChannel}


def evidence_labels() -> dict[str, str]:
    """Return the words for each kind of mark the tracer can find."""
    return {
        "xmp": _("XMP metadata"),
        "docinfo": _("Document properties"),
        "document_id": _("PDF document ID"),
        "hidden_text": _("Hidden text on the page"),
        "visible_text": _("Printed stamp text"),
        "diagonal_text": _("Faint diagonal text (read by OCR)"),
        "tiled_code": _("Invisible code tiled over a reader's page"),
        "print_code": _("Invisible code tiled over a delivered copy's pages"),
        "qr": _("QR code"),
        "fingerprint": _("Hidden dot pattern (names a recipient even in copies pooled by several)"),
    }


def _csv_header(zone_name: str) -> list[str]:
    """Return the column names of the ledger export."""
    return [
        _("Delivered at (%(zone)s)", zone=zone_name),
        _("Delivery ID"),
        _("Recipient"),
        _("Email"),
        _("Publication ID"),
        _("Publication title"),
        _("Request number"),
        _("Channel"),
        _("Pages"),
        _("Number of pages"),
        _("Client address"),
        _("Persistent address"),
    ]


def _csv_row(
    record: DeliveryRecord, delivered_at: str, channels: Mapping[str, str], permalink: str
) -> list[str]:
    """Return one ledger record as export cells."""
    return [
        delivered_at,
        record.delivery_id,
        record.recipient_name,
        record.recipient_email,
        "" if record.publication_id is None else str(record.publication_id),
        record.publication_title,
        record.request_number,
        channels.get(record.channel, record.channel),
        # An en dash: Excel would read "1-24" as a date, not as pages 1 to 24.
        record.page_ranges.replace("-", "\u2013"),
        str(record.pages),
        record.client_address,
        permalink,
    ]

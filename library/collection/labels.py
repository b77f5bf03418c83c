"""Spine and barcode labels for printed copies, as a PDF laid out on a sheet of self-adhesive labels.

A spine label carries the call number split into lines at its spaces, as libraries stick it on
a book's spine (class number, author letters, title letter, year). A barcode label carries the
copy's barcode in Code 128 with the same barcode in figures under it, the title shortened and
the call number. Labels fill the sheet row by row, after the ones already used (`skip`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from library.collection.items import clean_barcode
from library.errors import InvalidField, InvalidInput
from library.i18n import N_
from library.models import Holding, Item, ItemStatus, Publication
from library.permissions import Actor, require_manage_holdings
from library.settings import LabelSheet
from library.uow import UnitOfWork

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

# reportlab loads only in a process that prints labels (a web process serving searches never does).
mm = 72 / 25.4  # reportlab.lib.units.mm: points in a millimetre
MAX_LABELS = 2000
FONT, BOLD = "Helvetica", "Helvetica-Bold"
DOT = 72 / 300  # one dot of a 300 dpi printer (and two of a 600 dpi one), in points


@dataclass(frozen=True)
class LabelItem:
    """What goes on a copy's labels."""

    barcode: str
    call_number: str
    title: str


def label_items(
    uow: UnitOfWork, actor: Actor | None, barcodes: list[str], since: dt.datetime | None = None
) -> list[LabelItem]:
    """Return the copies to label: those barcodes (in that order), or every copy made since a time."""
    require_manage_holdings(uow, actor)
    query = (
        select(Item.barcode, Item.call_number, Publication.title)
        .join(Holding, Holding.id == Item.holding_id)
        .join(Publication, Publication.id == Holding.publication_id)
        .where(Item.status != ItemStatus.WITHDRAWN.value)
    )
    if barcodes:
        wanted = list(dict.fromkeys(clean_barcode(b) for b in barcodes))
        if len(wanted) > MAX_LABELS:
            raise InvalidField("barcodes", N_("Print at most %(max)s labels at once."), max=MAX_LABELS)
        found = {
            row[0]: LabelItem(*row) for row in uow.session.execute(query.where(Item.barcode.in_(wanted)))
        }
        unknown = [b for b in wanted if b not in found]
        if unknown:
            raise InvalidField(
                "barcodes",
                N_("No copy in the collection has these barcodes: %(list)s."),
                list=", ".join(unknown),
            )
        return [found[b] for b in wanted]
    if since is None:
        raise InvalidField(
            "barcodes", N_("List the barcodes to label, or choose a date the copies were added since.")
        )
    rows = uow.session.execute(query.where(Item.created_at >= since).order_by(Item.id).limit(MAX_LABELS + 1))
    items = [LabelItem(*row) for row in rows]
    if not items:
        raise InvalidInput(N_("No copy was added since that date."))
    if len(items) > MAX_LABELS:
        raise InvalidField("since", N_("Print at most %(max)s labels at once."), max=MAX_LABELS)
    return items


def spine_lines(call_number: str) -> list[str]:
    """Return the lines of a spine label: the call number split at its spaces."""
    return call_number.split()


def spine_labels_pdf(items: list[LabelItem], sheet: LabelSheet, skip: int = 0) -> bytes:
    """Return a PDF of spine labels for the copies, on the sheet, after `skip` labels already used."""
    return _sheets(items, sheet, skip, _spine)


def barcode_labels_pdf(items: list[LabelItem], sheet: LabelSheet, skip: int = 0) -> bytes:
    """Return a PDF of barcode labels for the copies, on the sheet, after `skip` labels already used."""
    return _sheets(items, sheet, skip, _barcode)


Draw = Callable[["Canvas", LabelItem, float, float, float, float], None]


def _sheets(items: list[LabelItem], sheet: LabelSheet, skip: int, draw: Draw) -> bytes:
    """Lay the labels out on as many sheets as they need."""
    if not 0 <= skip < sheet.per_sheet:
        raise InvalidField(
            "skip", N_("Labels already used on the first sheet: from 0 to %(max)s."), max=sheet.per_sheet - 1
        )
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(sheet.page_width * mm, sheet.page_height * mm), pageCompression=1)
    canvas.setTitle("Label")
    for index, item in enumerate(items, start=skip):
        place = index % sheet.per_sheet
        if place == 0 and index > skip:
            canvas.showPage()
        row, column = divmod(place, sheet.columns)
        x = (sheet.left + column * sheet.across) * mm
        y = (sheet.page_height - sheet.top - row * sheet.down - sheet.height) * mm
        draw(canvas, item, x, y, sheet.width * mm, sheet.height * mm)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _spine(canvas: Canvas, item: LabelItem, x: float, y: float, width: float, height: float) -> None:
    """Draw the call number line by line, as large as the label allows, centred."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = spine_lines(item.call_number) or [""]
    room = width - 4 * mm
    size = min(16.0, (height - 4 * mm) / (1.2 * len(lines)))
    for line in lines:
        size = min(size, room / max(stringWidth(line, BOLD, 1), 0.01))
    top = y + height / 2 + 1.2 * size * len(lines) / 2
    canvas.setFont(BOLD, size)
    for n, line in enumerate(lines, start=1):
        canvas.drawCentredString(x + width / 2, top - 1.2 * size * n + 0.25 * size, line)


def _barcode(canvas: Canvas, item: LabelItem, x: float, y: float, width: float, height: float) -> None:
    """Draw the title shortened, the Code 128 barcode with its figures, and the call number."""
    text = min(7.0, height / 6)
    from reportlab.graphics.barcode.code128 import Code128

    pad = 2 * mm
    probe = Code128(item.barcode, barWidth=1, quiet=False)
    fitting = min(0.5 * mm, (width - 2 * pad) / (probe.width + 20))  # 10 modules quiet zone each side
    bar_width = max(DOT, fitting // DOT * DOT)  # whole printer dots: every bar as wide as its neighbours
    bars = Code128(item.barcode, barWidth=bar_width, barHeight=max(height - 5 * text - 2 * pad, 5 * mm))
    bottom = y + pad * 0.6
    bars.drawOn(canvas, x + (width - bars.width) / 2, bottom + 2.3 * text)
    canvas.setFont(FONT, text)
    canvas.drawCentredString(x + width / 2, y + height - pad - text, _fit(item.title, width - 2 * pad, text))
    canvas.drawCentredString(x + width / 2, bottom + 1.2 * text, item.barcode)
    canvas.setFont(BOLD, text)
    canvas.drawCentredString(x + width / 2, bottom, _fit(item.call_number, width - 2 * pad, text, BOLD))


def _fit(text: str, room: float, size: float, font: str = FONT) -> str:
    """Return the text shortened with an ellipsis until it fits the room."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"

"""The report of a stock-taking: copies missing, copies from another place, barcodes no copy has."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from library.collection.stocktakes import StocktakeView, expected_items, get_stocktake
from library.models import Holding, Item, Publication, Stocktake, StocktakeScan
from library.permissions import Actor
from library.uow import UnitOfWork


@dataclass(frozen=True)
class ReportLine:
    """One line of the report: what kind, the barcode, and what is known of the copy."""

    kind: str  # missing, misplaced, unknown
    barcode: str
    call_number: str
    title: str
    location: str


@dataclass(frozen=True)
class StocktakeReport:
    """A stock-taking with its missing, misplaced and unknown lines."""

    stocktake: StocktakeView
    lines: tuple[ReportLine, ...]


def stocktake_report(uow: UnitOfWork, actor: Actor | None, stocktake_id: int) -> StocktakeReport:
    """Return what a stock-taking found wrong, as it stands now; librarians only."""
    view = get_stocktake(uow, actor, stocktake_id)
    row = uow.session.get(Stocktake, stocktake_id)
    assert row is not None  # get_stocktake refused a number that names none
    seen = select(StocktakeScan.item_id).where(
        StocktakeScan.stocktake_id == row.id, StocktakeScan.item_id.is_not(None)
    )
    placed = (
        select(Item.barcode, Item.call_number, Publication.title, Holding.location)
        .join(Holding, Holding.id == Item.holding_id)
        .join(Publication, Publication.id == Holding.publication_id)
        .order_by(Item.barcode)
    )
    expected = expected_items(row).with_only_columns(Item.id).order_by(None)
    lines = [
        ReportLine("missing", *r)
        for r in uow.session.execute(placed.where(Item.id.in_(expected), Item.id.not_in(seen)))
    ]
    if row.location:
        lines += [
            ReportLine("misplaced", *r)
            for r in uow.session.execute(placed.where(Item.id.in_(seen), Holding.location != row.location))
        ]
    lines += [
        ReportLine("unknown", barcode, "", "", "")
        for barcode in uow.session.scalars(
            select(StocktakeScan.barcode)
            .where(StocktakeScan.stocktake_id == row.id, StocktakeScan.item_id.is_(None))
            .order_by(StocktakeScan.barcode)
        )
    ]
    return StocktakeReport(view, tuple(lines))


def report_csv(report: StocktakeReport, headings: list[str], kinds: dict[str, str]) -> str:
    """Return the report as CSV, headings and kinds in the reader's language."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    for line in report.lines:
        writer.writerow(
            [
                kinds[line.kind],
                *(_safe(c) for c in (line.barcode, line.call_number, line.title, line.location)),
            ]
        )
    return out.getvalue()


def report_pdf(report: StocktakeReport, title: str, headings: list[str], kinds: dict[str, str]) -> bytes:
    """Return the report as a PDF: a title, the counts line given in `title`, one line per problem."""
    from reportlab.lib.pagesizes import A4  # loads in a process that makes the report, not at start
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    width, height = A4
    columns = (15 * mm, 40 * mm, 72 * mm, 105 * mm, 160 * mm)
    y = height - 20 * mm
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawString(15 * mm, y, title)
    y -= 10 * mm
    for line in [None, *report.lines]:
        if y < 15 * mm:
            canvas.showPage()
            y = height - 20 * mm
        cells = (
            headings
            if line is None
            else [kinds[line.kind], line.barcode, line.call_number, line.title, line.location]
        )
        canvas.setFont("Helvetica-Bold" if line is None else "Helvetica", 8)
        for x, cell, nxt in zip(columns, cells, [*columns[1:], width - 10 * mm], strict=True):
            canvas.drawString(x, y, _clip(cell, nxt - x - 2 * mm))
        y -= 5 * mm
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _clip(text: str, room: float) -> str:
    """Return the text cut to fit the room of a column."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while text and stringWidth(text, "Helvetica", 8) > room:
        text = text[:-1]
    return text


def _safe(text: str) -> str:
    """Return text a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text

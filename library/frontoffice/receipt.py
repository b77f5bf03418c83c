"""Queue tickets printed on 80 mm receipt paper: plain values in, PDF bytes out.

One page per ticket, 80 mm wide with 4 mm margins (72 mm printable, as thermal receipt
printers have), as tall as its content (the printer cuts after each page). Everything is
centred: office, service, the ticket code large, the visitor's first name, the issue time,
the queue ahead, the service target, and a QR code that opens the visitor's status page.
Indonesian comes first, English beneath in smaller type.

The text is set in DejaVu Sans Condensed (shipped with the stamping engine), embedded, so
names in any Latin, Greek or Cyrillic spelling print; characters it lacks (CJK, most emoji)
are left out rather than printed as empty boxes. Bold is the regular face drawn with an outline,
which thermal printers render as a heavier stroke.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from library.frontoffice.ticket_text import (
    clean_line,
    first_name,
    issued_at_lines,
    people_ahead_lines,
)
from watermark.marks.fonts import PRIMARY_FONT
from watermark.marks.qr import qr_matrix

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

# A millimetre in PDF points (reportlab.lib.units.mm): reportlab itself loads only when a
# process first prints a ticket, not with every module that imports the front office.
mm = 72 / 25.4

PAGE_WIDTH = 80 * mm
MARGIN = 4 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BOTTOM_FEED = 8 * mm  # blank paper below the last line, so the cutter does not cut into it
QR_SIDE = 32 * mm
QR_QUIET_MODULES = 4  # the quiet zone the QR standard asks for, above and below
FONT = "PustakaTicketSans"
CODE_SIZES = (44, 40, 36, 32, 28, 24, 20)  # the ticket code shrinks to fit before it is cut
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class TicketPrint:
    """What one printed queue ticket shows; the kiosk fills it from the visit."""

    office_name: str
    service_name: str  # Indonesian, e.g. "Perpustakaan"
    service_name_en: str  # e.g. "Library"
    code: str  # e.g. "P-007"
    issued_at: dt.datetime  # aware; printed in the office's time zone
    status_url: str  # the visitor's own status page, printed and encoded as the QR
    timezone: str = "Asia/Jakarta"  # the office's IANA zone (Office.timezone)
    visitor_name: str = ""  # only its first word is printed
    people_ahead: int | None = None  # waiting ahead at issue time; None prints no line
    target: str = ""  # Indonesian, e.g. "Dilayani paling lama 5 menit setelah mengisi buku tamu"
    target_en: str = ""  # e.g. "Served within 5 minutes of signing the guest book"
    # The secret a library terminal is opened with when typed (ticket_entry.terminal_code); "" none.
    terminal_code: str = ""
    priority: bool = False  # printed as "PRIORITAS / Priority", never the group

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must be an aware datetime")
        if self.people_ahead is not None and self.people_ahead < 0:
            raise ValueError("people_ahead cannot be negative")
        if not self.code.strip() or not self.status_url.strip():
            raise ValueError("a ticket needs a code and a status URL")


@dataclass(frozen=True)
class _Text:
    """One centred line of text."""

    text: str
    size: float
    bold: bool = False
    space_before: float = 0.0

    @property
    def height(self) -> float:
        return self.space_before + self.size * 1.22


@dataclass(frozen=True)
class _Rule:
    """A thin dashed line across the printable width."""

    height: float = 4 * mm


@dataclass(frozen=True)
class _Qr:
    """The QR code, with its quiet zone above and below."""

    rows: list[list[bool]]

    @property
    def module(self) -> float:
        return QR_SIDE / len(self.rows)

    @property
    def height(self) -> float:
        return QR_SIDE + 2 * QR_QUIET_MODULES * self.module


_Block = _Text | _Rule | _Qr


def render_ticket(ticket: TicketPrint) -> bytes:
    """Return a one-page receipt PDF of a queue ticket."""
    return render_tickets([ticket])


def render_tickets(tickets: Sequence[TicketPrint]) -> bytes:
    """Return one receipt PDF with a page per ticket, in the order given."""
    if not tickets:
        raise ValueError("render_tickets needs at least one ticket")
    from reportlab.pdfgen.canvas import Canvas

    _register_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_WIDTH), pageCompression=1)
    codes = ", ".join(_clean(t.code) for t in tickets)
    canvas.setTitle(f"Tiket antrean / Queue ticket {codes}")
    canvas.setAuthor(_clean(tickets[0].office_name))
    canvas.setCreator("Pustaka")
    for ticket in tickets:
        blocks = _layout(ticket)
        height = MARGIN + sum(b.height for b in blocks) + BOTTOM_FEED
        canvas.setPageSize((PAGE_WIDTH, height))
        _draw(canvas, blocks, height - MARGIN)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


@lru_cache(maxsize=1)
def _register_font() -> TTFont:
    """Register the ticket's face with reportlab once per process."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(FONT, str(PRIMARY_FONT))
    pdfmetrics.registerFont(font)
    return font


def _covers(ch: str) -> bool:
    # Only the Basic Multilingual Plane: reportlab writes a wrong ToUnicode entry for characters
    # beyond it (DejaVu's few emoji would print but read back as other letters).
    return ord(ch) <= 0xFFFF and ord(ch) in _register_font().face.charToGlyph


def _clean(text: str | None) -> str:
    return clean_line(text, _covers)


def _layout(ticket: TicketPrint) -> list[_Block]:
    """Return the blocks of one ticket, top to bottom."""
    blocks: list[_Block] = []

    def lines(text: str, size: float, bold: bool = False, most: int = 2, space: float = 0.0) -> None:
        for n, line in enumerate(_wrap(_clean(text), size, bold, most)):
            blocks.append(_Text(line, size, bold, space if n == 0 else 0.0))

    lines(ticket.office_name, 11, bold=True)
    blocks.append(_Rule())
    lines(ticket.service_name, 12, bold=True)
    lines(ticket.service_name_en, 8.5)
    lines("NOMOR ANTREAN", 8, space=2 * mm)
    lines("Queue number", 7)
    code = _clean(ticket.code)
    size = next((s for s in CODE_SIZES if _width(code, s, True) <= TEXT_WIDTH), CODE_SIZES[-1])
    lines(code, size, bold=True, most=1, space=1 * mm)
    if ticket.priority:
        lines("PRIORITAS / Priority", 11, bold=True, most=1)
    name = _clean(first_name(ticket.visitor_name))
    if name:
        lines("Atas nama / Name", 7, space=1 * mm)
        lines(name, 12, bold=True, most=1)
    issued_id, issued_en = issued_at_lines(ticket.issued_at, ticket.timezone)
    lines(issued_id, 9, space=2 * mm)
    lines(issued_en, 7.5)
    if ticket.people_ahead is not None:
        ahead_id, ahead_en = people_ahead_lines(ticket.people_ahead)
        lines(ahead_id, 10, bold=True, space=2 * mm)
        lines(ahead_en, 8)
    if ticket.target.strip():
        lines(ticket.target, 8.5, most=3, space=2 * mm)
    if ticket.target_en.strip():
        lines(ticket.target_en, 7.5, most=3)
    blocks.append(_Rule())
    blocks.append(_Qr(qr_matrix(ticket.status_url.strip())))
    lines(ticket.status_url, 6.5, most=3)
    lines("Pindai untuk melihat status antrean Anda", 8, space=2 * mm)
    lines("Scan to follow your place in the queue", 7)
    if ticket.terminal_code.strip():
        lines(f"Kode terminal perpustakaan: {ticket.terminal_code}", 9, bold=True, space=2 * mm)
        lines("Library terminal code (or scan the QR there)", 7)
    lines("Simpan tiket ini sampai nomor Anda dipanggil", 8, space=2 * mm)
    lines("Keep this ticket until your number is called", 7)
    return blocks


def _width(text: str, size: float, bold: bool) -> float:
    """Return the printed width of `text`, the outline of bold type included."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, FONT, size) + (_stroke(size) if bold else 0.0)


def _stroke(size: float) -> float:
    return size * 0.06  # DejaVu's bold stems are about 0.06 em heavier than its regular ones


def _wrap(text: str, size: float, bold: bool, most: int) -> list[str]:
    """Break `text` into at most `most` lines that fit, as even as they go; a cut ends in an ellipsis."""
    lines = _break(text, size, bold, most, TEXT_WIDTH)
    if len(lines) > most:
        return [*lines[: most - 1], _with_ellipsis(lines[most - 1], size, bold)]
    if len(lines) < 2:
        return lines
    # Narrow the measure while the line count holds, so no single word is left on a last line.
    words_kept = " ".join(lines) == text
    fits, loose = TEXT_WIDTH, TEXT_WIDTH / len(lines)
    for _ in range(8):
        measure = (fits + loose) / 2
        tried = _break(text, size, bold, most, measure)
        if len(tried) == len(lines) and (" ".join(tried) == text or not words_kept):
            fits = measure
        else:
            loose = measure
    return _break(text, size, bold, most, fits)


def _break(text: str, size: float, bold: bool, most: int, measure: float) -> list[str]:
    """Return the lines of `text` at `measure`, words longer than it cut; stop past `most` lines."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _width(candidate, size, bold) <= measure:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while _width(current, size, bold) > measure and len(lines) <= most:
            cut = _longest_fitting(current, size, bold, measure)
            lines.append(current[:cut])
            current = current[cut:]
        if len(lines) > most:
            return lines
    return [*lines, current] if current else lines


def _longest_fitting(text: str, size: float, bold: bool, measure: float, suffix: str = "") -> int:
    """Return how many leading characters of `text` fit the measure (at least one)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _width(text[:middle] + suffix, size, bold) <= measure:
            low = middle
        else:
            high = middle - 1
    return low


def _with_ellipsis(line: str, size: float, bold: bool) -> str:
    """Return `line` shortened so that it and an ellipsis fit the width."""
    keep = _longest_fitting(line, size, bold, TEXT_WIDTH, ELLIPSIS) if line else 0
    return line[:keep].rstrip() + ELLIPSIS


def _draw(canvas: Canvas, blocks: list[_Block], top: float) -> None:
    """Draw the blocks down from `top`, each centred across the page."""
    for block in blocks:
        if isinstance(block, _Text):
            baseline = top - block.space_before - block.size * 0.95
            canvas.saveState()  # the render mode is graphics state: keep it to this line
            text = canvas.beginText()
            text.setFont(FONT, block.size)
            text.setTextRenderMode(2 if block.bold else 0)  # 2: fill and outline, a heavier stroke
            canvas.setLineWidth(_stroke(block.size))
            text.setTextOrigin((PAGE_WIDTH - _width(block.text, block.size, block.bold)) / 2, baseline)
            text.textOut(block.text)
            canvas.drawText(text)
            canvas.restoreState()
        elif isinstance(block, _Rule):
            canvas.setLineWidth(0.6)
            canvas.setDash(2, 2)
            canvas.line(MARGIN, top - block.height / 2, PAGE_WIDTH - MARGIN, top - block.height / 2)
            canvas.setDash()
        else:
            _draw_qr(canvas, block, top - QR_QUIET_MODULES * block.module)
        top -= block.height


def _draw_qr(canvas: Canvas, qr: _Qr, top: float) -> None:
    """Fill the dark modules of the QR code as one vector path, row runs merged."""
    left, unit = (PAGE_WIDTH - QR_SIDE) / 2, qr.module
    path = canvas.beginPath()
    for r, row in enumerate(qr.rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rect(left + start * unit, top - (r + 1) * unit, (c - start) * unit, unit)
    canvas.drawPath(path, stroke=0, fill=1)

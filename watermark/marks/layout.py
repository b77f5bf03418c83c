"""Where the stamp goes on a page, and the content-stream operators that draw it."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from watermark.marks.fonts import PAGE_SLOT, FontSet, num
from watermark.marks.mark import Mark
from watermark.pdf.pagebox import PageBox, page_box

__all__ = ["PageBox", "Placement", "ResourceNames", "StampLayout", "page_box", "page_margin"]

FOOTER_SIZE = 6.2  # points: legible when printed, small enough to stay in the margin
FOOTER_MIN_SIZE = 4.0
DIAGONAL_GRAY = 0.45
DIAGONAL_ALPHA = 0.14  # faint enough that tables under it stay readable
BACKING_ALPHA = 0.8  # white behind the footer so it reads over scanned pages
QR_MODULE = 1.4  # points per module: about 3 pixels at 150 dpi
TOKEN_SIZE = 4.0
FOOTER_GAP = 6.0  # between the footer and the QR code beside it


class ResourceNames(NamedTuple):
    """Names of the stamp's shared resources in each page's /Resources."""

    prefix: str

    @property
    def qr(self) -> str:
        return f"{self.prefix}Q"

    @property
    def faint(self) -> str:
        return f"{self.prefix}Gd"

    @property
    def backing(self) -> str:
        return f"{self.prefix}Gb"

    @property
    def multiply(self) -> str:
        return f"{self.prefix}Gm"

    @property
    def code(self) -> str:
        return f"{self.prefix}C"


class FooterBlock(NamedTuple):
    """The footer's lines set for one width: type size, lines and the white box behind them."""

    size: float
    lines: tuple[str, ...]
    width: float  # of the backing box, points
    height: float

    @property
    def leading(self) -> float:
        """Return the distance between baselines."""
        return self.size * 1.22


class Placement(NamedTuple):
    """Where one page's footer and QR code go, in displayed points from the bottom-left corner."""

    footer: tuple[float, float]  # bottom-left of the footer's backing box
    available: float  # the width the footer's lines were set for
    qr: tuple[float, float]  # bottom-left of the QR code, quiet zone included
    qr_side: float


def page_margin(width: float, height: float) -> float:
    """Return the distance the stamp keeps from the edges of a displayed page, in points."""
    return max(6.0, min(14.0, 0.025 * min(width, height)))


class StampLayout:
    """Builds the operators of each page's stamp; the page's own text is filled in last."""

    def __init__(
        self,
        mark: Mark,
        fonts: FontSet,
        names: ResourceNames,
        qr_modules: int,
        page_count: int,
        dots: Callable[[float, float], bytes] | None = None,
        forms: Callable[[PageBox, Placement, bytes], str] | None = None,
    ) -> None:
        self._dots = dots  # the copy's fingerprint on a page of (width, height) points, if any
        # Makes the part of a stamp that pages of one box and placement share a form and names
        # it, if given: each page's own stream then holds only its number and token.
        self._forms = forms
        self._mark = mark
        self._fonts = fonts
        self._names = names
        self._qr_modules = qr_modules
        self._page_count = page_count
        self._templates: dict[tuple[PageBox, Placement], tuple[bytes, bytes]] = {}
        self._blocks: dict[float, FooterBlock] = {}

    @staticmethod
    def texts(mark: Mark, page_count: int) -> str:
        """Return every character the stamp can draw, for the font set."""
        return (
            "0123456789"
            + "".join(mark.footer_lines(page_count, page_count))
            + ("".join(mark.diagonal_lines()) + mark.hidden_token(page_count))
        )

    @property
    def qr_side(self) -> float:
        """Return the side of the QR code in points: about 3 pixels a module at 150 dpi."""
        return max(self._qr_modules * QR_MODULE, 40.0)

    def classic(self, width: float, height: float) -> Placement:
        """Return the usual placement on a displayed page: footer bottom-left, QR code bottom-right."""
        margin, side = page_margin(width, height), self.qr_side
        available = width - 2 * margin - side - FOOTER_GAP
        return Placement((margin, margin), available, (width - margin - side, margin), side)

    def footer_block(self, available: float) -> FooterBlock:
        """Return the footer's lines set to fit `available` points, and the box they fill."""
        key = round(available, 1)
        block = self._blocks.get(key)
        if block is None:
            page_text = f"Halaman {PAGE_SLOT}/{self._page_count}"
            line1, line2, notice = self._mark.footer_lines(self._page_count, self._page_count)
            line2 = line2.replace(f"Halaman {self._page_count}/{self._page_count}", page_text)
            size, lines = self._wrap([line1.split(" · "), line2.split(" · "), notice.split(" ")], key)
            widest = max(self._width(line, size) for line in lines)
            height = size * 1.22 * (len(lines) - 1) + size * 1.3
            block = self._blocks[key] = FooterBlock(size, tuple(lines), widest + 3, height)
        return block

    def page_content(
        self, box: PageBox, page_number: int, placement: Placement | None = None
    ) -> tuple[bytes, bytes]:
        """Return (stamp operators, token operators) for one page, placed as told or as usual."""
        placement = placement or self.classic(box.width, box.height)
        cached = self._templates.get((box, placement))
        if cached is None:
            cached = self._templates[box, placement] = (self._template(box, placement), self._token(box))
        body, token = cached
        # The page number is the only per-page text: fill its slots in.
        number = self._fonts.encode_primary(str(page_number))
        token = token.replace(b"\0", number)
        return body.replace(b"\0", number) + token + b"\nQ\n", token

    def _token(self, box: PageBox) -> bytes:
        # Near the centre, so cropping the margins keeps it; invisible (mode 3).
        text = self._mark.hidden_token(self._page_count)
        x = box.width / 2 - self._fonts.width(text, TOKEN_SIZE) / 2
        y = box.height / 2 - TOKEN_SIZE * 3
        shown = self._fonts.show(self._mark.hidden_token(PAGE_SLOT), TOKEN_SIZE)
        return f"BT 3 Tr 1 0 0 1 {num(x)} {num(y)} Tm ".encode() + shown + b" ET"

    def _template(self, box: PageBox, placement: Placement) -> bytes:
        w, h = box.width, box.height
        side = placement.qr_side
        qr_x, qr_y = placement.qr
        backing, numbered = self._footer(placement)
        shared = b"".join(
            [
                self._diagonal(w, h),
                backing,
                f"q {num(side)} 0 0 {num(side)} {num(qr_x)} {num(qr_y)} cm /{self._names.qr} Do Q\n".encode(),
                # Last of what is shared, so nothing of it covers a dot (they darken, never hide,
                # what is under); the numbered footer line drawn after a dot keeps it dark too.
                self._dots(w, h) if self._dots else b"",
            ]
        )
        if self._forms is not None:
            shared = f"/{self._forms(box, placement, shared)} Do\n".encode()
        return b"".join(
            [
                # Close the q wrapped around the original content, then draw in our own state.
                b"\nQ\nq ",
                " ".join(num(v) for v in box.matrix).encode() + b" cm ",
                b"0 Tc 0 Tw 100 Tz 0 Ts 0 Tr 0 J 0 j 1 w [] 0 d\n",
                shared,
                numbered,
            ]
        )

    def _diagonal(self, w: float, h: float) -> bytes:
        # Two centred lines: the id sits at the middle of the page, where cropping the
        # margins cannot reach it.
        lines = self._mark.diagonal_lines()
        at_one = max(self._fonts.width(line, 1.0) for line in lines) or 1.0
        size = max(10.0, min(44.0, 0.5 * math.hypot(w, h) / at_one))
        angle = math.atan2(h, w)
        cos, sin = math.cos(angle), math.sin(angle)
        out = [f"q /{self._names.faint} gs {DIAGONAL_GRAY} g BT ".encode()]
        for index, line in enumerate(lines):
            half_w = self._fonts.width(line, size) / 2
            # Baselines at +0.25 and -0.95 line heights from the centre, across the slope.
            offset = size * (0.25 if index == 0 else -0.95)
            x = w / 2 - half_w * cos - offset * sin
            y = h / 2 - half_w * sin + offset * cos
            out.append(f"{num(cos)} {num(sin)} {num(-sin)} {num(cos)} {num(x)} {num(y)} Tm ".encode())
            out.append(self._fonts.show(line, size) + b" ")
        out.append(b"ET Q\n")
        return b"".join(out)

    def _footer(self, placement: Placement) -> tuple[bytes, bytes]:
        """Return the footer's backing and the lines without the page number, and the lines with it."""
        block = self.footer_block(placement.available)
        size, leading, lines = block.size, block.leading, block.lines
        left, bottom = placement.footer
        top = bottom + size * 0.35 + leading * (len(lines) - 1)  # the first line's baseline
        backing = (
            f"q /{self._names.backing} gs 1 g {num(left)} {num(bottom)} "
            f"{num(block.width)} {num(block.height)} re f Q\n"
        ).encode()
        fixed: list[bytes] = []
        numbered: list[bytes] = []
        for index, line in enumerate(lines):
            at = f"BT 1 0 0 1 {num(left + 1.5)} {num(top - index * leading)} Tm ".encode()
            (numbered if PAGE_SLOT in line else fixed).append(at + self._fonts.show(line, size) + b" ET")
        return (
            backing + (b"0 g " + b" ".join(fixed) + b"\n" if fixed else b""),
            b"0 g " + b" ".join(numbered) + b"\n" if numbered else b"",
        )

    def _width(self, line: str, size: float) -> float:
        # The page slot is widest when it shows the last page's number.
        return self._fonts.width(line.replace(PAGE_SLOT, str(self._page_count)), size)

    def _wrap(self, paragraphs: list[list[str]], available: float) -> tuple[float, list[str]]:
        """Break paragraphs into lines that fit `available` points, shrinking type if needed."""
        size = FOOTER_SIZE
        while True:
            lines = []
            for index, pieces in enumerate(paragraphs):
                joiner = " " if index == len(paragraphs) - 1 else " · "
                current = ""
                for piece in pieces:
                    trial = f"{current}{joiner}{piece}" if current else piece
                    if current and self._width(trial, size) > available:
                        lines.append(current)
                        current = piece
                    else:
                        current = trial
                lines.append(current)
            fits = all(self._width(line, size) <= available for line in lines)
            if (fits and len(lines) <= 4) or size <= FOOTER_MIN_SIZE:
                return size, lines
            size = max(FOOTER_MIN_SIZE, size - 0.4)

"""Where the stamp goes on one page: on blank paper, or on a band added below the page.

The faint diagonal lines are translucent and go over everything; the footer (on its white
backing) and the QR code (with its white quiet zone) would hide what they cover, so they only
go where the page has no ink. A page with no room for them grows a band below (and to the
right, if it is too narrow to hold them): the page's own content is never covered.
"""

from __future__ import annotations

from typing import NamedTuple

from watermark.ink.room import Ink
from watermark.marks.layout import FOOTER_GAP, Placement, StampLayout, page_margin

CLEARANCE = 3.0  # points of blank paper kept between the stamp and the page's ink
MIN_FOOTER_WIDTH = 120.0  # narrower than this, the footer goes above the QR code, not beside it
MIN_BAND_WIDTH = 180.0  # a band narrower than this is widened: a tiny page still gets a legible stamp


class Plan(NamedTuple):
    """One page's stamp placement, and the band added to the page for it (0 when none)."""

    placement: Placement
    band: float = 0.0  # points added below the displayed page
    width: float = 0.0  # the displayed width after the band is added (0: unchanged)


def plan_page(layout: StampLayout, width: float, height: float, ink: Ink) -> Plan:
    """Return where the stamp goes on a displayed page of `width` x `height` points with `ink`."""
    margin = page_margin(width, height)
    classic = layout.classic(width, height)
    if classic.available >= MIN_FOOTER_WIDTH and _fits(layout, classic, ink):
        return Plan(classic)
    found = _search(layout, width, height, ink, margin)
    return Plan(found) if found is not None else _band(layout, width, margin)


class Planner:
    """Plans the pages of one copy, reusing a plan where a page's ink is the same as far as planning looked.

    A plan depends only on the page's size and the rows of its ink (from the foot up) that the
    checks and searches read: a free spot is the lowest one, so rows above it never decide.
    Publications repeat their feet (a page number, a running footer), so most pages take a
    plan made for an earlier one instead of searching again.
    """

    MAX_KEPT = 256  # plans kept per page size: enough for the feet a publication repeats

    def __init__(self, layout: StampLayout) -> None:
        self._layout = layout
        # (page size, ink grid) -> rows read -> those rows' bytes -> plan
        self._kept: dict[tuple, dict[int, dict[bytes, Plan]]] = {}
        self.reused = 0
        self.depth = 0  # rows from the foot up that the last plan depended on

    def plan(self, width: float, height: float, ink: Ink) -> Plan:
        """Return `plan_page`'s plan for a displayed page of `width` x `height` points with `ink`."""
        by_depth = self._kept.setdefault((width, height, ink.shape, ink.cell_w, ink.cell_h), {})
        for depth, plans in by_depth.items():
            if depth > ink.exact_rows:
                continue  # rows this ink took as ink unseen: the page is planned on its whole render
            found = plans.get(ink.foot(depth))
            if found is not None:
                self.reused += 1
                self.depth = depth
                return found
        watched = _Watched.watching(ink)
        plan = plan_page(self._layout, width, height, watched)
        depth = self.depth = min(watched.depth, ink.shape[0])
        if depth > ink.exact_rows:
            return plan  # not kept: it read rows taken as ink unseen (the stamper plans again)
        plans = by_depth.setdefault(depth, {})
        if len(plans) < self.MAX_KEPT:
            plans[ink.foot(depth)] = plan
        return plan


class _Watched(Ink):
    """An Ink that notes how many of its rows, from the foot up, the answers it gave depended on."""

    __slots__ = ("depth",)
    depth: int

    @classmethod
    def watching(cls, ink: Ink) -> _Watched:
        """Return the cells of `ink`, every row of them taken as measured, watched."""
        watched = ink.watched_as(cls)
        watched.depth = 0
        return watched

    def _read(self, rows: int) -> None:
        self.depth = max(self.depth, rows)


def _fits(layout: StampLayout, placement: Placement, ink: Ink) -> bool:
    """Tell whether the footer and QR code of a placement, with clearance, cover no ink."""
    block = layout.footer_block(placement.available)
    c = CLEARANCE
    (fx, fy), (qx, qy), side = placement.footer, placement.qr, placement.qr_side
    return ink.is_free(fx - c, fy - c, block.width + 2 * c, block.height + 2 * c) and ink.is_free(
        qx - c, qy - c, side + 2 * c, side + 2 * c
    )


def _search(layout: StampLayout, width: float, height: float, ink: Ink, margin: float) -> Placement | None:
    """Return the lowest blank spots for the footer (at one of a few widths) and the QR code."""
    side, c = layout.qr_side, CLEARANCE
    bounds = (margin - c, margin - c, width - margin + c, height - margin + c)
    best: tuple[float, Placement] | None = None
    full = width - 2 * margin
    widths = [
        w for w in dict.fromkeys((full - side - FOOTER_GAP, full, full / 2)) if w >= MIN_FOOTER_WIDTH / 2
    ]
    if not widths or ink.find(side + 2 * c, side + 2 * c, bounds, "right") is None:
        # Every placement holds the QR code: with no room for it alone, none is found (a page
        # printed to its edges, a scan's grey margins). One search of the page instead of six;
        # none on a page too narrow for any footer.
        return None
    for available in widths:
        block = layout.footer_block(available)
        spot = ink.find(block.width + 2 * c, block.height + 2 * c, bounds, "left")
        if spot is None:
            continue
        footer = (spot[0] + c, spot[1] + c)
        taken = [(footer[0], footer[1], block.width, block.height)]
        qr = ink.find(side + 2 * c, side + 2 * c, bounds, "right", taken)
        if qr is None:
            continue
        placement = Placement(footer, available, (qr[0] + c, qr[1] + c), side)
        # The lower the two sit, the better: the page's foot is where a stamp is looked for.
        cost = footer[1] + block.height + qr[1] + side
        if best is None or cost < best[0]:
            best = (cost, placement)
        if footer[1] + block.height < height / 4 and qr[1] + side < height / 4:
            break  # both in the page's foot already: narrower footers would only stand taller
    return best[1] if best else None


def _band(layout: StampLayout, width: float, margin: float) -> Plan:
    """Return a plan that adds a band below the page, holding the footer and QR code."""
    wide = max(width, MIN_BAND_WIDTH)
    side = layout.qr_side
    beside = wide - 2 * margin - side - FOOTER_GAP
    if beside >= MIN_FOOTER_WIDTH:
        block = layout.footer_block(beside)
        band = max(block.height, side) + margin + CLEARANCE
        placement = Placement((margin, margin), beside, (wide - margin - side, margin), side)
    else:
        block = layout.footer_block(wide - 2 * margin)
        band = block.height + FOOTER_GAP + side + margin + CLEARANCE
        placement = Placement((margin, margin + side + FOOTER_GAP), wide - 2 * margin, (margin, margin), side)
    return Plan(placement, band, wide if wide != width else 0.0)

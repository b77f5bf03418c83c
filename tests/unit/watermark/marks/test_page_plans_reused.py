"""A copy's pages reuse a plan made for an earlier page whose foot is inked the same, and only then."""

from __future__ import annotations

import numpy as np

from watermark.ink.room import Ink
from watermark.marks.fonts import FontSet
from watermark.marks.layout import ResourceNames, StampLayout
from watermark.marks.placement import Planner, plan_page

WIDTH, HEIGHT, CELL = 596.0, 842.0, 2.0


def layout_of(mark) -> StampLayout:
    fonts = FontSet.for_text(StampLayout.texts(mark, 400), "PkTest")
    return StampLayout(mark, fonts, ResourceNames("PkTest"), 37, 400)


def page(rng: np.random.Generator, feet: list[np.ndarray]) -> Ink:
    """A page of random text above one of a few feet (page number, running footer, a table)."""
    rows, cols = int(HEIGHT / CELL), int(WIDTH / CELL)
    inked = rng.random((rows, cols)) < 0.3
    foot = feet[int(rng.integers(len(feet)))]
    inked[: foot.shape[0]] = foot
    return Ink(inked, CELL, CELL)


def test_every_page_gets_the_plan_a_search_of_its_own_ink_finds(make_mark) -> None:
    layout = layout_of(make_mark())
    rng = np.random.default_rng(7)
    cols = int(WIDTH / CELL)
    feet = []
    for _ in range(8):  # feet alike in their lowest rows, each with a few bars (rules, text) higher up
        foot = np.zeros((120, cols), dtype=bool)
        for _ in range(3):
            row, col = int(rng.integers(8, 110)), int(rng.integers(cols - 20))
            foot[row : row + int(rng.integers(2, 7)), col : col + int(rng.integers(20, 200))] = True
        feet.append(foot)
    planner = Planner(layout)
    pages = [page(rng, feet) for _ in range(160)]
    for ink in pages:
        assert planner.plan(WIDTH, HEIGHT, ink) == plan_page(layout, WIDTH, HEIGHT, ink)
    assert planner.reused > 100  # the feet repeat, the text above them never does


def test_a_page_differing_where_planning_looked_is_planned_again(make_mark) -> None:
    layout = layout_of(make_mark())
    planner = Planner(layout)
    blank = Ink(np.zeros((int(HEIGHT / CELL), int(WIDTH / CELL)), dtype=bool), CELL, CELL)
    first = planner.plan(WIDTH, HEIGHT, blank)
    footed = blank.inked.copy()
    footed[10:14, 20:260] = True  # a running footer across the classic footer's spot
    moved = planner.plan(WIDTH, HEIGHT, Ink(footed, CELL, CELL))
    assert planner.reused == 0
    assert moved != first and moved == plan_page(layout, WIDTH, HEIGHT, Ink(footed, CELL, CELL))
    topped = blank.inked.copy()
    topped[-40:] = True  # ink far above where the stamp goes: the first plan holds
    assert planner.plan(WIDTH, HEIGHT, Ink(topped, CELL, CELL)) == first
    assert planner.reused == 1


def test_a_plan_that_read_above_a_measured_foot_is_not_kept(make_mark) -> None:
    layout = layout_of(make_mark())
    planner = Planner(layout)
    rows, cols = int(HEIGHT / CELL), int(WIDTH / CELL)
    full = np.ones((rows, cols), dtype=bool)
    full[:8] = False  # too low a strip of paper for the stamp: the plan looks above the foot
    foot = Ink(full, CELL, CELL, exact_rows=63)  # the foot's 63 rows measured, the rest taken as ink
    planner.plan(WIDTH, HEIGHT, foot)
    assert planner.depth > foot.exact_rows  # so the stamper renders the page whole and plans again
    planner.plan(WIDTH, HEIGHT, Ink(full, CELL, CELL, exact_rows=63))
    assert planner.reused == 0  # nothing kept from the first: it read rows nobody measured
    blank = np.zeros((rows, cols), dtype=bool)
    blank[63:] = True
    planner.plan(WIDTH, HEIGHT, Ink(blank, CELL, CELL, exact_rows=63))
    assert planner.depth <= 63
    planner.plan(WIDTH, HEIGHT, Ink(blank, CELL, CELL, exact_rows=63))
    assert planner.reused == 1  # a plan found within the foot is kept and reused


class _CountedInk(Ink):
    """An Ink that counts the free spots asked of it."""

    __slots__ = ("finds",)

    def find(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - Ink.find's own
        self.finds = getattr(self, "finds", 0) + 1
        return super().find(*args, **kwargs)


def test_a_page_without_room_for_the_qr_code_takes_a_band_after_one_search(make_mark) -> None:
    layout = layout_of(make_mark())
    rows, cols = int(HEIGHT / CELL), int(WIDTH / CELL)
    speckled = np.zeros((rows, cols), dtype=bool)
    speckled[::6, ::6] = True  # a scan's grey margins: a speck every 12 points, no QR code fits
    ink = _CountedInk(speckled, CELL, CELL)
    plan = plan_page(layout, WIDTH, HEIGHT, ink)
    assert plan.band > 0 and ink.finds == 1
    # Room for the QR code alone, none for a footer: the footers are still looked for, in vain.
    cleared = speckled.copy()
    cleared[:60, -60:] = False
    ink = _CountedInk(cleared, CELL, CELL)
    assert plan_page(layout, WIDTH, HEIGHT, ink) == plan and ink.finds > 1


def test_a_page_too_narrow_for_any_footer_takes_a_band_without_a_search(make_mark) -> None:
    layout = layout_of(make_mark())
    narrow = 60.0  # a strip of a page: no footer width fits beside its margins
    ink = _CountedInk(np.zeros((int(HEIGHT / CELL), int(narrow / CELL)), dtype=bool), CELL, CELL)
    plan = plan_page(layout, narrow, HEIGHT, ink)
    assert plan.band > 0 and getattr(ink, "finds", 0) == 0

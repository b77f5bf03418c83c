"""The lowest free spot on a page's ink, found in bands from the foot up, is the one a full search finds."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest

from watermark.ink.room import FIRST_ROWS, Ink

CELL = 2.0


def lowest_spot(
    inked: np.ndarray, width: float, height: float, bounds: tuple, side: str, taken: list
) -> tuple[float, float] | None:
    """Try every cell as the bottom-left corner, lowest row first: slow and plainly right."""
    marked = inked.copy()
    for tx, ty, tw, th in taken:
        marked[
            math.floor(ty / CELL) : math.ceil((ty + th) / CELL),
            math.floor(tx / CELL) : math.ceil((tx + tw) / CELL),
        ] = True
    rows, cols = inked.shape
    cw, ch = math.ceil(width / CELL), math.ceil(height / CELL)
    x0, y0 = max(0, math.ceil(bounds[0] / CELL)), max(0, math.ceil(bounds[1] / CELL))
    x1, y1 = min(cols, int(bounds[2] / CELL)), min(rows, int(bounds[3] / CELL))
    for row in range(y0, y1 - ch + 1):
        free = [c for c in range(x0, x1 - cw + 1) if not marked[row : row + ch, c : c + cw].any()]
        if free:
            return (free[0] if side == "left" else free[-1]) * CELL, row * CELL
    return None


@pytest.mark.parametrize("seed", range(40))
def test_the_spot_found_is_the_lowest_free_one_furthest_to_its_side(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(4, 3 * FIRST_ROWS)), int(rng.integers(4, 90))
    inked = rng.random((rows, cols)) < rng.random() * 0.05
    # A kept measurement reads its rows as the bands reach them: the same answers, query after query.
    kept = Ink.packed(zlib.compress(np.packbits(inked).tobytes()), rows, cols, CELL, CELL)
    for _ in range(20):
        width, height = rng.random() * cols, rng.random() * 2 * FIRST_ROWS
        bounds = (rng.random() * 20 - 5, rng.random() * 20 - 5, cols * CELL - rng.random() * 20, rows * CELL)
        side = "left" if rng.random() < 0.5 else "right"
        taken = [tuple(rng.random(4) * (cols, rows, cols, rows))] if rng.random() < 0.5 else []
        found = Ink(inked, CELL, CELL).find(width, height, bounds, side, taken)
        assert found == lowest_spot(inked, width, height, bounds, side, taken)
        assert kept.find(width, height, bounds, side, taken) == found


def test_a_page_inked_all_over_has_no_free_spot() -> None:
    assert Ink(np.ones((80, 60), dtype=bool), CELL, CELL).find(10, 10, (0, 0, 120, 160), "left") is None


def test_a_spot_high_above_an_inked_foot_is_found() -> None:
    inked = np.zeros((5 * FIRST_ROWS, 40), dtype=bool)
    inked[: 4 * FIRST_ROWS] = True  # only the top band is paper
    spot = Ink(inked, CELL, CELL).find(20, 8, (0, 0, 80, inked.shape[0] * CELL), "right")
    assert spot == (60.0, 4 * FIRST_ROWS * CELL)


def test_kept_cells_read_from_the_foot_up_are_the_cells_kept_and_a_damaged_record_is_all_ink() -> None:
    rng = np.random.default_rng(3)
    inked = rng.random((421, 298)) < 0.2
    packed = zlib.compress(np.packbits(inked).tobytes())
    for rows in (0, 1, 7, 40, 421, 500):
        ink = Ink.packed(packed, 421, 298, CELL, CELL)
        assert ink.foot(rows) == np.packbits(inked[:rows]).tobytes()  # before the whole is decoded
        assert np.array_equal(ink.inked, inked) and ink.foot(rows) == np.packbits(inked[:rows]).tobytes()
    short = zlib.compress(np.packbits(inked[:-1]).tobytes())  # a row too few
    for spoiled in (packed[: len(packed) // 2], b"not zlib", short):
        ink = Ink.packed(spoiled, 421, 298, CELL, CELL)
        assert ink.foot(421) == np.packbits(np.ones((421, 298), dtype=bool)).tobytes()
        assert ink.inked.all() and ink.find(10, 10, (0, 0, 596, 842), "left") is None
        # Read whole, a damaged record's foot is all ink too, whatever its first bytes hold.
        fresh = Ink.packed(spoiled, 421, 298, CELL, CELL)
        assert fresh.find(1000, 10, (0, 0, 596, 842), "left") is None  # too wide: nothing searched
        assert fresh.foot(4) == np.packbits(np.ones((4, 298), dtype=bool)).tobytes()

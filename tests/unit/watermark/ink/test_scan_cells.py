"""A scan's cells read from its picture: the cells it touches take its pixels, the rest stay paper."""

from __future__ import annotations

import math

import numpy as np
import pytest

from watermark.ink.scan_ink import _cells


def plainly_read(
    gray: np.ndarray,
    placed: tuple[float, float, float, float],
    rows: int,
    cols: int,
    cell: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Read every cell one by one: slow and plainly right (row 0 at the top, as `_cells` returns)."""
    width, height, left, bottom = placed
    tall, wide = gray.shape
    reach_y = max(1, math.ceil(tall / height * cell[1]))
    reach_x = max(1, math.ceil(wide / width * cell[0]))
    darkest = np.full((rows, cols), 255, dtype=np.uint8)
    middle = np.full((rows, cols), 255, dtype=np.uint8)
    for r in range(rows):
        up = rows - 1 - r  # the cell's row counted from the page's foot
        y0, y1 = up * cell[1], (up + 1) * cell[1]
        if not (y1 > bottom and y0 < bottom + height):
            continue
        py = tall - 1 - min(max(math.floor(((y0 + y1) / 2 - bottom) / height * tall), 0), tall - 1)
        for c in range(cols):
            x0, x1 = c * cell[0], (c + 1) * cell[0]
            if not (x1 > left and x0 < left + width):
                continue
            px = min(max(math.floor(((x0 + x1) / 2 - left) / width * wide), 0), wide - 1)
            middle[r, c] = gray[py, px]
            near = gray[max(0, py - reach_y) : py + reach_y + 1, max(0, px - reach_x) : px + reach_x + 1]
            darkest[r, c] = near.min()
    return darkest, middle


@pytest.mark.parametrize("seed", range(10))
def test_cells_read_what_the_picture_holds_where_it_lies(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(4, 40)), int(rng.integers(4, 30))
    cell = (float(rng.uniform(0.5, 3)), float(rng.uniform(0.5, 3)))
    page_w, page_h = cols * cell[0], rows * cell[1]
    gray = rng.integers(0, 256, (int(rng.integers(3, 90)), int(rng.integers(3, 70))), dtype=np.uint8)
    # Half the pictures reach over the page's edges, one in five lies wholly beside it.
    left = float(rng.uniform(-page_w / 2, page_w * (1.3 if seed % 5 == 0 else 0.5)))
    placed = (
        float(rng.uniform(page_w / 3, page_w * 1.2)),
        float(rng.uniform(page_h / 3, page_h * 1.2)),
        left,
        float(rng.uniform(-page_h / 2, page_h / 2)),
    )
    darkest, middle = _cells(gray, placed, rows, cols, cell)
    expected_darkest, expected_middle = plainly_read(gray, placed, rows, cols, cell)
    assert np.array_equal(middle, expected_middle)
    assert np.array_equal(darkest, expected_darkest)

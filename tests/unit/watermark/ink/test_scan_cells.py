"""A scan's cells: exactly those its picture touches along each axis, however it lies on the page."""

from __future__ import annotations

import random

import pytest

from watermark.ink.scan_ink import _span


@pytest.mark.parametrize("seed", range(20))
def test_the_cells_a_picture_touches_are_those_it_overlaps(seed: int) -> None:
    rng = random.Random(seed)
    cells, side = rng.randint(3, 60), rng.uniform(0.5, 12)
    page = cells * side
    # Half the pictures reach over the page's edges, one in five lies wholly beside it.
    start = rng.uniform(-page / 2, page * (1.3 if seed % 5 == 0 else 0.5))
    length = rng.uniform(page / 3, page * 1.2)
    touched = _span(start, length, side, cells)
    expected = [n for n in range(cells) if (n + 1) * side > start and n * side < start + length]
    assert list(range(cells))[touched] == expected


def test_a_picture_on_cell_edges_touches_no_cell_beyond_them() -> None:
    assert _span(10.0, 20.0, 10.0, 8) == slice(1, 3)
    assert _span(-5.0, 5.0, 10.0, 8) == slice(0, 0)  # wholly left of the page
    assert _span(80.0, 5.0, 10.0, 8) == slice(8, 8)  # wholly right of it

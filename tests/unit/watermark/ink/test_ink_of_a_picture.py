"""A render's ink: pixels darker than the page's paper, each grown by one cell all round."""

from __future__ import annotations

import numpy as np
import pytest

from watermark.ink.room import PAPER_FLOOR, PAPER_MARGIN, Ink, bright_tenth, grown


def plainly_grown(cells: np.ndarray) -> np.ndarray:
    """Set every cell with a set cell among itself and its eight neighbours: slow and plainly right."""
    rows, cols = cells.shape
    out = np.zeros_like(cells)
    for row in range(rows):
        for col in range(cols):
            out[row, col] = cells[max(0, row - 1) : row + 2, max(0, col - 1) : col + 2].any()
    return out


@pytest.mark.parametrize("seed", range(12))
def test_growing_sets_exactly_the_neighbours_of_set_cells(seed: int) -> None:
    rng = np.random.default_rng(seed)
    cells = rng.random((rng.integers(1, 30), rng.integers(1, 30))) < rng.random() * 0.3
    assert np.array_equal(grown(cells), plainly_grown(cells))


@pytest.mark.parametrize("white", [0.0, 0.05, 0.1, 0.11, 0.5, 1.0])
def test_the_paper_level_is_the_histograms_ninetieth_percentile(white: float) -> None:
    rng = np.random.default_rng(int(white * 100))
    sample = np.where(rng.random(997) < white, 255, rng.integers(150, 255, 997)).astype(np.uint8)
    counts = np.cumsum(np.bincount(sample, minlength=256))
    assert bright_tenth(sample) == int(np.searchsorted(counts, 0.9 * counts[-1]))


def test_a_scans_grey_paper_is_not_ink_and_its_print_is() -> None:
    paper = PAPER_FLOOR + 13  # a scan's paper, darker than white
    page = np.full((60, 40), paper, dtype=np.uint8)
    page[30, 20] = paper - PAPER_MARGIN - 1
    page[10, 5] = paper - PAPER_MARGIN  # not dark enough to be print
    ink = Ink.of_picture(page, 80.0, 120.0)
    # The dot and its eight neighbours, row 0 at the foot.
    assert ink.inked.sum() == 9 and ink.inked[60 - 1 - 30, 20]

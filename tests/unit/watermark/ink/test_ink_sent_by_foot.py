"""A page measured at its foot travels from a measuring process as its foot's bits alone, and reads alike."""

from __future__ import annotations

import numpy as np
import pytest

from watermark.ink import answers
from watermark.ink.inkrender import FOOT_ROWS, ink_of_foot
from watermark.ink.room import PAPER_MARGIN, Ink, bright_tenth, grown


def foot_measured(rows: int = 300, cols: int = 210) -> Ink:
    gray = np.full((FOOT_ROWS, cols), 255, dtype=np.uint8)
    gray[-10:-6, 20:90] = 0  # a page number near the bottom edge
    gray[:3, :] = 0  # the last line of text, at the foot's top
    ink = ink_of_foot(gray, rows, 595.0, 842.0)
    assert ink is not None
    return ink


def test_a_foot_is_sent_as_its_bits_and_read_back_cell_for_cell() -> None:
    ink = foot_measured()
    sent = answers.packing(ink)
    assert sent is not None and sent[-1] == FOOT_ROWS  # the foot's rows alone
    assert len(sent[4]) <= FOOT_ROWS * ink.shape[1] // 8 + 1
    back = answers.unpacked(sent)
    assert back is not None
    assert (back.shape, back.cell_w, back.cell_h, back.exact_rows) == (
        ink.shape,
        ink.cell_w,
        ink.cell_h,
        ink.exact_rows,
    )
    for rows in (1, 10, FOOT_ROWS - 1, FOOT_ROWS, FOOT_ROWS + 5, ink.shape[0]):
        assert answers.unpacked(sent).foot(rows) == ink.foot(rows)  # type: ignore[union-attr]
    assert np.array_equal(back.inked, ink.inked)
    assert (
        Ink.packed(back.packbits(), *ink.shape, ink.cell_w, ink.cell_h).inked.tobytes() == ink.inked.tobytes()
    )
    assert np.array_equal(back.resized(595.2, 842.1).inked, ink.inked)


def test_a_page_measured_whole_or_with_paper_above_its_foot_is_sent_whole() -> None:
    whole = Ink(np.zeros((300, 210), dtype=bool), 2.0, 2.0)
    assert answers.packing(whole)[-1] == 0  # type: ignore[index]
    odd = foot_measured()
    cells = odd.inked.copy()
    cells[200, 5] = False  # a blank cell above the foot: not the foot alone
    sent = answers.packing(Ink(cells, odd.cell_w, odd.cell_h, odd.exact_rows))
    assert sent is not None and sent[-1] == 0
    assert np.array_equal(answers.unpacked(sent).inked, cells)  # type: ignore[union-attr]


def test_foot_bits_cut_short_read_as_ink() -> None:
    ink = foot_measured()
    rows, cols, cell_w, cell_h, bits, _, seen = answers.packing(ink)  # type: ignore[misc]
    damaged = Ink.of_foot(bits[:-5], seen, rows, cols, cell_w, cell_h)
    assert damaged.inked.all()


def plainly_measured_foot(gray: np.ndarray) -> bytes | None:
    """Return the foot's bits as `ink_of_foot` gives them, each step made on the whole arrays."""
    if bright_tenth(gray[::3, ::3]) != 255:
        return None
    seen = np.ones((FOOT_ROWS + 1, gray.shape[1]), dtype=bool)
    seen[:FOOT_ROWS] = gray[::-1] < 255 - PAPER_MARGIN
    return np.packbits(grown(seen)[:FOOT_ROWS]).tobytes()


@pytest.mark.parametrize("seed", range(6))
def test_a_foot_measured_has_the_bits_of_its_cells_grown_whatever_its_width_and_paper(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for cols in (1, 7, 8, 9, 210, 298, 301):
        for dark_share in (0.0, 0.01, 0.3, 0.89, 0.9, 0.91, 1.0):  # about a tenth white: the paper's edge
            stride = cols + int(rng.integers(0, 4))  # a drawing's rows are padded, the padding any grey
            drawn = rng.integers(0, 256, (FOOT_ROWS, stride)).astype(np.uint8)
            paper = rng.random((FOOT_ROWS, cols)) >= dark_share
            drawn[:, :cols] = np.where(paper, 255, drawn[:, :cols])
            gray = drawn[:, :cols]
            ink = ink_of_foot(gray, 421, 595.0, 842.0)
            expected = plainly_measured_foot(gray)
            assert (ink is None) == (expected is None)
            if ink is not None:
                assert ink.foot_bits() == (expected, FOOT_ROWS)

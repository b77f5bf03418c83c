"""Page geometry and the operators of one page's stamp."""

from __future__ import annotations

import pytest

from watermark import Mark
from watermark.marks.fonts import FontSet
from watermark.marks.layout import ResourceNames, StampLayout, page_box


def apply(matrix: tuple, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


@pytest.mark.parametrize("rotate", [0, 90, 180, 270, -90, 450])
def test_the_displayed_page_maps_onto_the_crop_box_for_every_rotation(rotate: int) -> None:
    box = page_box([0, 0, 600, 800], [50, 60, 550, 760], rotate)
    corners = {apply(box.matrix, x, y) for x in (0, box.width) for y in (0, box.height)}
    assert corners == {(50, 60), (550, 60), (50, 760), (550, 760)}


@pytest.mark.parametrize(
    ("rotate", "bottom_left"),
    [(0, (50, 60)), (90, (550, 60)), (180, (550, 760)), (270, (50, 760))],
)
def test_the_display_origin_is_the_corner_a_reader_sees_bottom_left(
    rotate: int, bottom_left: tuple[int, int]
) -> None:
    box = page_box([0, 0, 600, 800], [50, 60, 550, 760], rotate)
    assert apply(box.matrix, 0, 0) == bottom_left


def test_quarter_turns_swap_the_displayed_width_and_height() -> None:
    turned = page_box([0, 0, 600, 800], None, 90)
    assert (turned.width, turned.height) == (800, 600)


def test_a_crop_box_is_clipped_to_the_media_box_and_an_empty_one_ignored() -> None:
    clipped = page_box([0, 0, 600, 800], [-100, -100, 300, 400], 0)
    assert (clipped.width, clipped.height, clipped.matrix[4:]) == (300, 400, (0, 0))
    empty = page_box([0, 0, 600, 800], [10, 10, 10, 10], 0)
    assert (empty.width, empty.height) == (600, 800)


def test_reversed_box_corners_are_normalised() -> None:
    box = page_box([600, 800, 0, 0], None, 0)
    assert (box.width, box.height, box.matrix[4:]) == (600, 800, (0, 0))


def layout_for(mark: Mark, page_count: int = 12) -> StampLayout:
    fonts = FontSet.for_text(StampLayout.texts(mark, page_count), "PkTest")
    return StampLayout(mark, fonts, ResourceNames("PkTest"), 37, page_count)


def test_each_page_gets_its_own_token_and_closes_the_wrapped_original_first(make_mark) -> None:
    layout = layout_for(make_mark())
    box = page_box([0, 0, 595, 842], None, 0)
    first, token1 = layout.page_content(box, 1)
    second, token2 = layout.page_content(box, 2)
    assert first.startswith(b"\nQ\nq ") and first.endswith(b"\nQ\n")
    assert token1 in first and token2 in second and token1 != token2
    assert b"3 Tr" in token1
    assert b"/PkTestQ Do" in first


def test_the_stamp_text_is_not_stored_as_plain_ascii(make_mark) -> None:
    content, _ = layout_for(make_mark()).page_content(page_box([0, 0, 595, 842], None, 0), 1)
    assert b"Diberikan" not in content and b"7K3M9QPXW2RM" not in content


def test_footers_wrap_at_separators_to_fit_a_narrow_page_in_legible_type(make_mark) -> None:
    mark = make_mark(recipient_name="Raden Ajeng Kartini Djojo Adhiningrat")
    layout = layout_for(mark)
    line1, line2, notice = mark.footer_lines(12, 12)
    available = 180.0  # an A6 page less its margins and the QR code
    size, lines = layout._wrap([line1.split(" · "), line2.split(" · "), notice.split(" ")], available)
    assert size >= 4.0
    assert len(lines) > 3
    assert all(layout._width(line, size) <= available for line in lines)
    assert " ".join(lines).replace(" · ", " ").split() == (
        " ".join([line1, line2, notice]).replace(" · ", " ").split()
    )

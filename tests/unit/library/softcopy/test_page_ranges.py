"""Page ranges as people write them are read, checked against the page count and tidied."""

from __future__ import annotations

import pytest

from library.errors import InvalidField, InvalidFields
from library.softcopy.page_ranges import format_page_ranges, parse_page_ranges


@pytest.mark.parametrize(
    ("text", "tidy", "pages"),
    [
        ("3", "3", (3,)),
        ("1-3, 9", "1-3, 9", (1, 2, 3, 9)),
        ("9; 1 – 3", "1-3, 9", (1, 2, 3, 9)),
        ("2-4,3-5", "2-5", (2, 3, 4, 5)),
        ("10-10", "10", (10,)),
    ],
)
def test_ranges_are_read_and_tidied(text: str, tidy: str, pages: tuple[int, ...]) -> None:
    assert parse_page_ranges(text, 10) == (tidy, pages)


@pytest.mark.parametrize(
    "text",
    ["", " , ", "0", "11", "5-3", "a-b", "1-", "-2", "1..3", "1-3-5", ",".join(["1"] * 51)],
)
def test_bad_ranges_are_refused_on_the_pages_field(text: str) -> None:
    with pytest.raises(InvalidField) as refused:
        parse_page_ranges(text, 10)
    assert refused.value.field == "pages"


def test_consecutive_pages_are_written_as_spans() -> None:
    assert format_page_ranges([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"


def test_ranges_too_long_to_store_are_refused() -> None:
    scattered = ",".join(str(n) for n in range(101, 200, 2))  # 50 single pages, 249 characters tidied
    with pytest.raises(InvalidField, match="fewer ranges"):
        parse_page_ranges(scattered, 220)


def test_every_bad_part_of_the_ranges_is_reported_at_once() -> None:
    with pytest.raises(InvalidFields) as refused:
        parse_page_ranges("9-12, x, 2, 7-5", 8)
    parts = [problem.params["part"] for problem in refused.value.problems]
    assert parts == ["9-12", "x", "7-5"]
    assert {getattr(problem, "field", None) for problem in refused.value.problems} == {"pages"}

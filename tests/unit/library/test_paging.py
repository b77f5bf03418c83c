"""The arithmetic of one page of a longer list."""

from __future__ import annotations

import pytest
from sqlalchemy import literal, select
from sqlalchemy.orm import sessionmaker

from library.paging import MAX_PAGE, Page, clamp_page, fetch_page
from library.uow import UnitOfWork


def page(number: int, total: int, per_page: int = 10) -> Page[int]:
    """Return a page of the list 1..total (its items as the query would fetch them)."""
    first = (number - 1) * per_page + 1
    return Page(tuple(range(first, min(first + per_page, total + 1))), number, per_page, total)


def test_an_empty_list_is_one_empty_page_with_nowhere_to_go() -> None:
    empty = page(1, 0)
    assert (empty.items, empty.pages, empty.has_previous, empty.has_next) == ((), 1, False, False)


def test_a_first_page_leads_only_forward() -> None:
    first = page(1, 25)
    assert (first.pages, first.has_previous, first.has_next) == (3, False, True)


def test_the_last_page_holds_the_rest_and_leads_only_back() -> None:
    last = page(3, 25)
    assert (last.items, last.has_previous, last.has_next) == ((21, 22, 23, 24, 25), True, False)


def test_a_full_last_page_does_not_promise_another() -> None:
    assert (page(2, 20).pages, page(2, 20).has_next) == (2, False)


def test_a_page_past_the_end_is_empty_and_leads_back() -> None:
    beyond = page(9, 25)
    assert (beyond.items, beyond.pages, beyond.has_previous, beyond.has_next) == ((), 3, True, False)


def test_map_converts_the_items_and_keeps_the_place() -> None:
    words = page(2, 12).map(str)
    assert (words.items, words.number, words.per_page, words.total) == (("11", "12"), 2, 10, 12)


@pytest.mark.parametrize(
    ("asked", "given"),
    [
        ((0, 20), (1, 20)),
        ((-3, 20), (1, 20)),
        ((2, 0), (2, 1)),
        ((2, 500), (2, 100)),
        ((4, 50), (4, 50)),
        ((2**64, 20), (MAX_PAGE, 20)),
    ],
)
def test_clamping_keeps_a_page_number_and_size_that_can_be_fetched(
    asked: tuple[int, int], given: tuple[int, int]
) -> None:
    assert clamp_page(*asked, max_per_page=100) == given


@pytest.mark.parametrize(("number", "per_page"), [(0, 10), (1, 0), (MAX_PAGE + 1, 10), (2**64, 10)])
def test_fetching_a_page_that_cannot_exist_is_a_programming_error(number: int, per_page: int) -> None:
    unit_of_work = UnitOfWork(sessionmaker())  # never opened: the refusal comes first
    with pytest.raises(ValueError, match="No page"):
        fetch_page(unit_of_work, select(literal(1)), number, per_page)

"""Paged lists: one page of a longer list, and the query that fetches it."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from library.uow import UnitOfWork

MAX_PAGE = 100_000  # far past any real list; keeps every offset well within a 64-bit integer
T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, where it sits, and how many items the whole list holds."""

    items: tuple[T, ...]
    number: int  # 1 for the first page
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """Return how many pages the list fills; an empty list still shows one (empty) page."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        """Tell whether a page comes before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Tell whether items follow this page."""
        return self.number < self.pages

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        """Return the same page with every item converted."""
        return Page(tuple(convert(item) for item in self.items), self.number, self.per_page, self.total)


def clamp_page(number: int, per_page: int, max_per_page: int) -> tuple[int, int]:
    """Return the page number kept within 1 and MAX_PAGE, and the page size within 1 and the maximum."""
    return min(max(number, 1), MAX_PAGE), min(max(per_page, 1), max_per_page)


def fetch_page(uow: UnitOfWork, statement: Select, number: int, per_page: int) -> Page[Any]:
    """Run a select for one page and count every row it matches.

    A statement of one entity or column gives its values as items; one of several gives rows.
    """
    if not 1 <= number <= MAX_PAGE or per_page < 1:
        raise ValueError(f"No page {number} of {per_page} items: pages run from 1 to {MAX_PAGE}.")
    total = uow.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    result = uow.session.execute(statement.offset((number - 1) * per_page).limit(per_page))
    items = result.scalars().all() if len(statement.column_descriptions) == 1 else result.all()
    return Page(tuple(items), number, per_page, total or 0)

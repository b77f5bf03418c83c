"""Searches are counted per office day as words only: folded, personal data and staff left out."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from library.catalogue import do_count_search, search_term_of
from library.models import Role, SearchTerm, User
from library.uow import UnitOfWork

MONDAY, TUESDAY = dt.date(2026, 11, 23), dt.date(2026, 11, 24)


def counted(uow: UnitOfWork) -> list[tuple[str, str, int]]:
    """Return every count as (day, term, searches)."""
    with uow:
        rows = uow.session.scalars(select(SearchTerm).order_by(SearchTerm.day, SearchTerm.term))
        return [(row.day.isoformat(), row.term, row.searches) for row in rows]


def test_one_term_is_counted_once_a_search_whatever_its_case_and_spaces(uow: UnitOfWork) -> None:
    with uow:
        for words, day in (
            ("Inflasi", MONDAY),
            ("  inflasi  ", MONDAY),
            ("INFLASI", TUESDAY),
            ("ipm  kota", MONDAY),
        ):
            do_count_search(uow, None, "1872", words, day)
        uow.commit()
    assert counted(uow) == [
        ("2026-11-23", "inflasi", 2),
        ("2026-11-23", "ipm kota", 1),
        ("2026-11-24", "inflasi", 1),
    ]


@pytest.mark.parametrize(
    "words",
    [
        "budi@example.id",
        "3171234567890123",
        "0812-3456-7890",
        "+62 812 3456 7890",
        "hubungi 0812 3456 789",
        "",
    ],
)
def test_words_that_may_be_personal_data_are_not_counted(words: str) -> None:
    assert search_term_of(words) is None


@pytest.mark.parametrize("words", ["1102001.1872", "inflasi 2019 2020 2021", "sensus penduduk 2020"])
def test_catalogue_numbers_and_years_are_counted(words: str) -> None:
    assert search_term_of(words) == words


def test_a_long_search_is_counted_under_its_first_hundred_characters() -> None:
    assert search_term_of("data " * 40) == ("data " * 20).strip()


def test_searches_by_staff_at_work_are_not_counted(uow: UnitOfWork) -> None:
    with uow:
        librarian = User(email="pustakawan@bps.go.id", name="Pustakawan")
        librarian.set_roles(frozenset({Role.LIBRARIAN}))
        reader = User(email="pembaca@example.id", name="Pembaca")
        reader.set_roles(frozenset({Role.READER}))
        uow.session.add_all([librarian, reader])
        uow.session.flush()
        do_count_search(uow, librarian, "1872", "uji coba", MONDAY)
        do_count_search(uow, reader, "1872", "kemiskinan", MONDAY)
        uow.commit()
    assert counted(uow) == [("2026-11-23", "kemiskinan", 1)]

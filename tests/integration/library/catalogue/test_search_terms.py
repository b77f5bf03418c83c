"""Searches are counted per office day as words only: folded, personal data and staff left out."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from library.catalogue.search_terms import CountedSearch, do_count_search, do_count_searches, search_term_of
from library.models import Role, SearchSeen, SearchTerm, User
from library.uow import UnitOfWork

MONDAY, TUESDAY = dt.date(2026, 11, 23), dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def counted(uow: UnitOfWork) -> list[tuple[str, str, int]]:
    """Return every count as (day, term, searches)."""
    with uow:
        rows = uow.session.scalars(select(SearchTerm).order_by(SearchTerm.day, SearchTerm.term))
        return [(row.day.isoformat(), row.term, row.searches) for row in rows]


def test_one_term_is_counted_once_a_search_whatever_its_case_and_spaces(uow: UnitOfWork) -> None:
    with uow:
        for n, (words, day) in enumerate(
            (("Inflasi", MONDAY), ("  inflasi  ", MONDAY), ("INFLASI", TUESDAY), ("ipm  kota", MONDAY))
        ):
            do_count_search(uow, None, "1872", words, day, client=f"klien-{n}")
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
        do_count_search(uow, librarian, "1872", "uji coba", MONDAY, client="a")
        do_count_search(uow, reader, "1872", "kemiskinan", MONDAY, client="b")
        uow.commit()
    assert counted(uow) == [("2026-11-23", "kemiskinan", 1)]


def test_one_client_counts_a_term_once_a_day(uow: UnitOfWork) -> None:
    with uow:
        for _ in range(30):  # one script, again and again
            do_count_search(uow, None, "1872", "judi online", MONDAY, client="script")
        do_count_search(uow, None, "1872", "judi online", MONDAY, client="someone else")
        do_count_search(uow, None, "1872", "judi online", TUESDAY, client="script")  # a new day
        uow.commit()
    assert counted(uow) == [("2026-11-23", "judi online", 2), ("2026-11-24", "judi online", 1)]
    with uow:  # only the current day's clients are kept
        assert {row.day for row in uow.session.scalars(select(SearchSeen))} == {TUESDAY}


def test_a_search_counts_only_when_it_found_something_and_a_typo_under_its_correction(
    uow: UnitOfWork,
) -> None:
    with uow:
        do_count_search(uow, None, "1872", "zzqx", MONDAY, client="a", found=False)
        do_count_search(
            uow, None, "1872", "kemiskinn", MONDAY, client="b", found=False, correction="kemiskinan"
        )
        do_count_search(uow, None, "1872", "kemiskinan", MONDAY, client="b")  # the correction, followed
        do_count_search(uow, None, "1872", "kemiskinan", MONDAY, client="c")
        uow.commit()
    assert counted(uow) == [("2026-11-23", "kemiskinan", 2)]


def test_a_hidden_term_leaves_the_top_searches_until_shown_again(uow: UnitOfWork) -> None:
    from types import SimpleNamespace

    from library.catalogue.search_terms import check_hide_search_term, check_show_search_term
    from library.errors import NotAllowed
    from library.permissions import SYSTEM

    with uow:
        for n in range(3):
            do_count_search(uow, None, "1872", "slot gacor", MONDAY, client=f"s{n}")
        do_count_search(uow, None, "1872", "inflasi", MONDAY, client="x")
        reader = User(email="pembaca@example.id", name="Pembaca")
        reader.set_roles(frozenset({Role.READER}))
        uow.session.add(reader)
        uow.session.flush()
        with pytest.raises(NotAllowed):
            check_hide_search_term(uow, reader, "1872", "slot gacor", NOW)
        assert check_hide_search_term(uow, SYSTEM, "1872", "  Slot  GACOR ", NOW) == "slot gacor"
        uow.commit()
    scope = SimpleNamespace(office_code="1872", period=SimpleNamespace(start=MONDAY, end=MONDAY))
    with uow:
        assert _top(uow, scope) == [(1, "inflasi", 1)]
        check_show_search_term(uow, SYSTEM, "1872", "slot gacor")
        uow.commit()
    with uow:
        assert _top(uow, scope) == [(1, "slot gacor", 3), (2, "inflasi", 1)]


def _top(uow: UnitOfWork, scope: object) -> list:
    from library.reports.searches import search_section

    return [tuple(row) for row in search_section(uow, scope).tables[1].rows]  # type: ignore[arg-type]


def test_a_batch_counts_as_its_searches_counted_one_by_one(uow: UnitOfWork) -> None:
    searches = [
        ("Inflasi", MONDAY, "a", True, None),
        ("inflasi ", MONDAY, "a", True, None),  # the same client: once
        ("inflasi", MONDAY, "b", True, None),
        ("zzqx", MONDAY, "a", False, None),  # found nothing
        ("pendudk", MONDAY, "c", False, "penduduk"),  # counted under its correction
        ("budi@example.id", MONDAY, "d", True, None),  # personal data
        ("inflasi", TUESDAY, "a", True, None),
    ]
    with uow:
        do_count_search(uow, None, "1872", "inflasi", MONDAY, client="z")  # counted before the batch
        do_count_search(uow, None, "1871", "inflasi", MONDAY, client="z")
        for text, day, client, found, correction in searches:
            do_count_search(uow, None, "1872", text, day, client=client, found=found, correction=correction)
        batch = [
            CountedSearch("1871", text, day, client, found, correction)
            for text, day, client, found, correction in searches
        ]
        assert do_count_searches(uow, batch + batch) == 4  # again: nothing more
        uow.commit()
    with uow:
        rows = uow.session.scalars(select(SearchTerm).order_by(SearchTerm.day, SearchTerm.term))
        by_office: dict[str, list[tuple[dt.date, str, int]]] = {}
        for row in rows:
            by_office.setdefault(row.office_code, []).append((row.day, row.term, row.searches))
    assert (
        by_office["1871"]
        == by_office["1872"]
        == [
            (MONDAY, "inflasi", 3),
            (MONDAY, "penduduk", 1),
            (TUESDAY, "inflasi", 1),
        ]
    )

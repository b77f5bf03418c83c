"""Searches counted in memory are written by the tally's own thread, in one transaction, none lost."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from library.catalogue.search_tally import CountedSearch, SearchTally
from library.db import make_session_factory
from library.models import SearchTerm
from library.uow import UnitOfWork
from tests.waiting import wait_until

MONDAY = dt.date(2026, 11, 23)


def searched(words: str, client: str) -> CountedSearch:
    return CountedSearch("1872", words, MONDAY, client, found=True, correction=None)


def counts(engine: Engine) -> dict[str, int]:
    with UnitOfWork(make_session_factory(engine)) as uow:
        return {row.term: row.searches for row in uow.session.scalars(select(SearchTerm))}


def test_the_tallys_thread_writes_what_waits_without_being_asked(engine: Engine) -> None:
    tally = SearchTally(lambda: UnitOfWork(make_session_factory(engine)), interval=0.05)
    for client in ("a", "b", "a"):  # the third: client a again, counted once
        tally.add(searched("inflasi", client))
    assert wait_until(lambda: counts(engine) == {"inflasi": 2} or None)
    assert tally.waiting == 0
    tally.close()


def test_a_busy_database_keeps_the_searches_for_the_next_flush(engine: Engine) -> None:
    busy = [True]

    def unit() -> UnitOfWork:
        if busy[0]:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return UnitOfWork(make_session_factory(engine))

    tally = SearchTally(unit, interval=3600)
    tally.add(searched("kemiskinan", "a"))
    assert tally.flush() == 0 and tally.waiting == 1
    busy[0] = False
    tally.add(searched("kemiskinan", "b"))
    tally.close()  # writes what waits, the kept search first
    assert counts(engine) == {"kemiskinan": 2}
    tally.add(searched("kemiskinan", "c"))  # after close: not kept
    assert tally.waiting == 0


def test_a_search_taken_today_is_not_kept_again(engine: Engine) -> None:
    tally = SearchTally(lambda: UnitOfWork(make_session_factory(engine)), interval=3600, remembered=2)
    for client in ("a", "a", "b"):
        tally.add(searched("inflasi", client))
    tally.add(CountedSearch("1872", "zzqx", MONDAY, "a", found=False, correction=None))  # cannot count
    assert tally.waiting == 2
    tally.add(searched("inflasi", "a"))  # two remembered: forgotten, so kept; the database counts it once
    assert tally.waiting == 3
    tally.close()
    assert counts(engine) == {"inflasi": 2}


def test_a_batch_lost_to_another_error_lets_its_searches_count_when_asked_again(engine: Engine) -> None:
    failing = [True]

    def unit() -> UnitOfWork:
        if failing and failing.pop():
            raise PoolTimeout("QueuePool limit reached, connection timed out")
        return UnitOfWork(make_session_factory(engine))

    tally = SearchTally(unit, interval=3600)
    tally.add(searched("inflasi", "a"))
    with pytest.raises(PoolTimeout):  # the writer's thread logs it and goes on
        tally.flush()
    tally.add(searched("inflasi", "a"))  # the same client, later: the database never counted it
    tally.close()
    assert counts(engine) == {"inflasi": 1}

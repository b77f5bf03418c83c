"""Two counters at once: staff pressing together never call or serve the same visitor twice.

Each race is made to happen, not hoped for: the second counter reads the queue while the first
has called (or served) but not yet committed, then the first commits and the second goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine

from library.db import make_session_factory
from library.frontoffice.queue import actions as queue_module
from library.frontoffice.queue.actions import call_next, start_service
from library.frontoffice.queue.at_work import QueueError
from library.models import Ticket
from library.uow import UnitOfWork
from tests.integration.library.queue_helpers import OFFICE, arrive, at, person, set_up

WAIT = 30  # seconds a thread waits for the other before the test gives up (never reached when right)


@pytest.fixture
def tickets(engine: Engine) -> list[int]:
    """Set up a queue day with three library visitors waiting; return their ticket ids."""
    with UnitOfWork(make_session_factory(engine)) as uow:
        set_up(uow)
        ids = [arrive(uow, name, minutes)[0].id for minutes, name in enumerate(["Ani", "Budi", "Citra"])]
        uow.commit()
    return ids


def after_read(monkeypatch: pytest.MonkeyPatch, name: str, thread: str, signal: threading.Event) -> None:
    """Make `queue.<name>` set the signal once it has run in the named thread."""
    real: Callable[..., Any] = getattr(queue_module, name)

    def reading(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        if threading.current_thread().name == thread:
            signal.set()
        return result

    monkeypatch.setattr(queue_module, name, reading)


def race(
    engine: Engine,
    first: Callable[[UnitOfWork], Any],
    second: Callable[[UnitOfWork], Any],
    read: threading.Event,
) -> tuple[Any, Any]:
    """Run `first` up to its commit, `second` until it has read, then commit both; return their results."""
    first_done = threading.Event()
    factory = make_session_factory(engine)

    def run_first() -> Any:
        with UnitOfWork(factory) as uow:
            result = first(uow)
            first_done.set()
            assert read.wait(WAIT), "the second counter never read the queue"
            uow.commit()
            return result

    def run_second() -> Any:
        threading.current_thread().name = "second"
        assert first_done.wait(WAIT)
        with UnitOfWork(factory) as uow:
            try:
                result = second(uow)
            finally:
                read.set()  # even on a refusal before the read: never leave the first waiting
            uow.commit()
            return result

    with ThreadPoolExecutor(max_workers=2) as pool:
        one, two = pool.submit(run_first), pool.submit(run_second)
        return one.result(timeout=WAIT * 2), two.result(timeout=WAIT * 2)


def test_two_counters_calling_at_once_call_two_different_visitors(
    engine: Engine, tickets: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    read = threading.Event()
    after_read(monkeypatch, "waiting_order", "second", read)

    def call(counter: str) -> Callable[[UnitOfWork], int]:
        return lambda uow: call_next(uow, person(uow, "front"), OFFICE, "library", counter, at(5)).id

    one, two = race(engine, call("Loket 1"), call("Loket 2"), read)
    assert (one, two) == (tickets[0], tickets[1])
    with UnitOfWork(make_session_factory(engine)) as uow:
        rows = {t.id: (t.status, t.counter, t.calls) for t in uow.session.query(Ticket)}
    assert rows[tickets[0]] == ("called", "Loket 1", 1)
    assert rows[tickets[1]] == ("called", "Loket 2", 1)
    assert rows[tickets[2]] == ("waiting", "", 0)


def test_two_staff_starting_the_same_visitor_at_once_start_it_once(
    engine: Engine, tickets: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    read = threading.Event()
    after_read(monkeypatch, "_clock", "second", read)

    def serve(who: str) -> Callable[[UnitOfWork], int]:
        return lambda uow: start_service(uow, person(uow, who), tickets[0], at(2)).served_by_id

    with pytest.raises(QueueError, match="can no longer be served"):
        race(engine, serve("front"), serve("librarian"), read)
    with UnitOfWork(make_session_factory(engine)) as uow:
        ticket = uow.session.get(Ticket, tickets[0])
        assert ticket is not None
        assert (ticket.status, ticket.served_by_id) == ("serving", person(uow, "front").id)


def test_many_counters_pressing_together_each_call_someone_else(engine: Engine, tickets: list[int]) -> None:
    factory = make_session_factory(engine)
    start = threading.Barrier(3)

    def call(counter: str) -> int:
        with UnitOfWork(factory) as uow:
            start.wait(WAIT)
            called = call_next(uow, person(uow, "front"), OFFICE, "library", counter, at(5)).id
            uow.commit()
            return called

    with ThreadPoolExecutor(max_workers=3) as pool:
        called = list(pool.map(call, ["Loket 1", "Loket 2", "Loket 3"], timeout=WAIT * 2))
    assert sorted(called) == sorted(tickets)

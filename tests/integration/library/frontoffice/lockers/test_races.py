"""Two staff members at once: the database lets only one of them give a locker, or give a card back.

Each racer's statement waits at a barrier until both have read that the locker is free (or
the card still held), so both pass every check before either writes: the race is certain,
not a matter of timing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event, func, select

from library.db import make_session_factory
from library.frontoffice.lockers.stock import HeldCard, LockerConflict, check_give_locker, check_return_locker
from library.models import LockerLoan, User
from library.uow import UnitOfWork
from tests.integration.library.frontoffice.lockers.conftest import NOW, Desk

Call = Callable[[UnitOfWork], object]


@contextmanager
def meeting_before(engine: Engine, statement_start: str, racers: int) -> Iterator[None]:
    """Hold each statement beginning with `statement_start` until every racer has reached one."""
    barrier = threading.Barrier(racers, timeout=30)

    def wait(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(statement_start):
            barrier.wait()

    event.listen(engine, "before_cursor_execute", wait)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", wait)


def race(engine: Engine, statement_start: str, *calls: Call) -> list[object]:
    """Run each call in its own thread and unit of work, committing; return results or errors."""
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Call) -> None:
        try:
            with UnitOfWork(make_session_factory(engine)) as uow:
                results[index] = call(uow)
                uow.commit()
        except Exception as exc:  # noqa: BLE001 - the test looks at what each racer got
            results[index] = exc

    with meeting_before(engine, statement_start, len(calls)):
        threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    return results


def open_loans(uow: UnitOfWork) -> int:
    """Count the loans whose card is still held."""
    with uow:
        return uow.session.scalar(select(func.count()).where(LockerLoan.returned_at.is_(None))) or 0


def test_two_staff_giving_the_same_locker_at_once_give_it_only_once(
    engine: Engine, uow: UnitOfWork, desk: Desk, front: User, admin: User
) -> None:
    locker = desk.lockers()["A-01"]
    budi, sari = desk.visit("Budi"), desk.visit("Sari")
    results = race(
        engine,
        "INSERT INTO LOCKER_LOAN",
        lambda u: check_give_locker(u, front, budi, locker, "ktp", "1111", NOW),
        lambda u: check_give_locker(u, admin, sari, locker, "sim", "2222", NOW),
    )
    given = [r for r in results if isinstance(r, HeldCard)]
    refused = [r for r in results if isinstance(r, LockerConflict)]
    assert len(given) == 1 and len(refused) == 1, results
    assert "Another staff member has just given locker A-01" in str(refused[0])
    assert open_loans(uow) == 1


def test_one_visitor_given_two_lockers_at_once_holds_only_one(
    engine: Engine, uow: UnitOfWork, desk: Desk, front: User, admin: User
) -> None:
    lockers = desk.lockers()
    budi = desk.visit("Budi")
    results = race(
        engine,
        "INSERT INTO LOCKER_LOAN",
        lambda u: check_give_locker(u, front, budi, lockers["A-01"], "ktp", "1111", NOW),
        lambda u: check_give_locker(u, admin, budi, lockers["A-02"], "ktp", "1111", NOW),
    )
    assert sorted(type(r).__name__ for r in results) == ["HeldCard", "LockerConflict"], results
    assert any("or a locker to Budi" in str(r) for r in results)
    assert open_loans(uow) == 1


def test_two_staff_giving_the_same_card_back_at_once_give_it_back_once(
    engine: Engine, uow: UnitOfWork, desk: Desk, front: User, admin: User
) -> None:
    locker = desk.lockers()["A-01"]
    budi = desk.visit("Budi")
    with uow:
        loan = check_give_locker(uow, front, budi, locker, "ktp", "1111", NOW).loan_id
        uow.commit()
    results = race(
        engine,
        "UPDATE LOCKER_LOAN",
        lambda u: check_return_locker(u, front, loan, NOW),
        lambda u: check_return_locker(u, admin, loan, NOW),
    )
    assert sorted(type(r).__name__ for r in results) == ["HeldCard", "LockerConflict"], results
    assert any("already given back" in str(r) for r in results)
    assert open_loans(uow) == 0

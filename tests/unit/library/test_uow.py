"""The unit of work commits only when told, and runs after-commit work only after a commit."""

from __future__ import annotations

from typing import Any

import pytest

from library.uow import UnitOfWork


class FakeSession:
    """Records what the unit of work asked of it."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.new: list[object] = []  # what the ORM session tells of its changes
        self.deleted: list[object] = []
        self.dirty: list[object] = []
        self.info: dict[str, object] = {}

    def commit(self) -> None:
        self.calls.append("commit")

    def rollback(self) -> None:
        self.calls.append("rollback")

    def close(self) -> None:
        self.calls.append("close")


def make_uow() -> tuple[UnitOfWork, FakeSession]:
    session = FakeSession()
    factory: Any = lambda: session  # noqa: E731 - a one-line fake session factory
    return UnitOfWork(factory), session


def test_leaving_without_commit_after_a_change_rolls_back() -> None:
    uow, session = make_uow()
    with uow:
        session.new.append(object())
    assert session.calls == ["rollback", "close"]


def test_leaving_after_reading_only_closes_the_session() -> None:
    # Closing ends the transaction as a rollback would; the ORM's rollback only expires objects.
    uow, session = make_uow()
    with uow:
        pass
    assert session.calls == ["close"]


def test_an_error_inside_rolls_back_and_propagates() -> None:
    uow, session = make_uow()
    with pytest.raises(ValueError), uow:
        session.info["pustaka.wrote"] = True
        raise ValueError("boom")
    assert session.calls == ["rollback", "close"]


def test_after_commit_work_runs_only_after_the_commit() -> None:
    uow, session = make_uow()
    ran: list[str] = []
    with uow:
        uow.after_commit(lambda: ran.append(f"after {session.calls[-1]}"))
        assert ran == []
        uow.commit()
    assert ran == ["after commit"]


def test_after_commit_work_is_dropped_by_a_rollback() -> None:
    uow, _ = make_uow()
    ran: list[str] = []
    with uow:
        uow.after_commit(lambda: ran.append("x"))
        uow.rollback()
        uow.commit()
    assert ran == []


def test_the_session_is_unavailable_outside_the_block() -> None:
    uow, _ = make_uow()
    with pytest.raises(RuntimeError, match="not open"):
        _ = uow.session

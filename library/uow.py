"""The unit of work: the only place that commits, and the one rule about who tells it to.

The transaction rule: a function that takes an open `UnitOfWork` never commits; its caller
(a view, a CLI command, a job body) runs it inside `transaction(...)`, which commits when the
block ends normally, so use cases combine into one transaction and a refusal anywhere rolls
all of it back. The shell has no commit of its own (tests/unit/test_architecture.py). A long-running job
that spans several transactions takes a unit-of-work factory instead (or a worker that holds
one: `IngestWorker`, `CopyWorker`, the SQL rate limiter) and owns each of its transactions.
tests/unit/test_architecture.py holds library/ to the rule.

Work registered with `after_commit` (index updates, jobs, emails) runs only
once the transaction has committed, so a rollback leaves no trace outside the
database either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

_WROTE = "pustaka.wrote"  # set in a session's info once its transaction has written


class UnitOfWork:
    """A database transaction that rolls back unless told to commit."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self._after_commit: list[Callable[[], None]] = []

    @property
    def session(self) -> Session:
        """Return the session of the open unit of work."""
        if self._session is None:
            raise RuntimeError("The unit of work is not open; use it in a 'with' block.")
        return self._session

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("This unit of work is already open.")
        self._session = self._session_factory()
        self._after_commit = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            # Closing ends the transaction as a rollback does, and gives the connection back. A
            # session that changed something is rolled back first, so that its objects forget
            # what was not committed; one that only read is just closed (its objects stay as
            # read): the ORM's rollback of a read was about half of a unit of work's own cost.
            if session.new or session.deleted or session.info.get(_WROTE) or session.dirty:
                session.rollback()
        finally:
            session.close()
            self._session = None
            self._after_commit = []

    def commit(self) -> None:
        """Commit the transaction, then run the work waiting for it."""
        self.session.commit()
        pending, self._after_commit = self._after_commit, []
        for callback in pending:
            callback()

    def rollback(self) -> None:
        """Drop everything done since the last commit, including waiting work."""
        self.session.rollback()
        self._after_commit = []

    def release(self) -> None:
        """End the transaction so far, which has only read, and give its connection back to the pool.

        What was loaded stays usable, and the next query opens a new transaction. A request
        holds one database connection at a time: work with a connection of its own (the SQL
        rate limiter's counts) happens between the request's transactions, after a release.
        Refused once anything was written: that would be committed behind the caller's back.
        """
        session = self.session
        if session.new or session.dirty or session.deleted or session.info.get(_WROTE):
            raise RuntimeError("This unit of work has written: it cannot give its connection back.")
        session.commit()  # nothing to commit: ends the read transaction; callbacks stay waiting

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run the callback once the current transaction has committed."""
        self._after_commit.append(callback)


@contextmanager
def transaction(make_uow: Callable[[], UnitOfWork]) -> Iterator[UnitOfWork]:
    """Open a unit of work that commits when the block ends normally and rolls back on an exception.

    A block left by `return` commits too: what it wrote is what its answer reports. A block
    that must write nothing on some path raises (a `PustakaError` the view turns into a message).
    """
    with make_uow() as uow:
        yield uow
        uow.commit()


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: object) -> None:
    """Remember that the session's transaction wrote rows."""
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    """Remember that the session's transaction ran an INSERT, UPDATE or DELETE of its own."""
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: object) -> None:
    """A transaction that ended took what it wrote with it (committed or rolled back)."""
    if getattr(transaction, "parent", None) is None:  # the outermost, not a SAVEPOINT
        session.info.pop(_WROTE, None)

"""The unit of work: the only place that commits, and the one rule about who tells it to.

The transaction rule: a function that takes an open `UnitOfWork` never commits; its caller
(a view, a CLI command, a job body) commits, in one line at the call site, so use cases
combine into one transaction and a refusal anywhere rolls all of it back. A long-running job
that spans several transactions takes a unit-of-work factory instead (or a worker that holds
one: `IngestWorker`, `CopyWorker`, the SQL rate limiter) and owns each of its transactions.
tests/unit/test_architecture.py holds library/ to the rule.

Work registered with `after_commit` (index updates, jobs, emails) runs only
once the transaction has committed, so a rollback leaves no trace outside the
database either.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker


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
        try:
            self.session.rollback()
        finally:
            self.session.close()
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

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run the callback once the current transaction has committed."""
        self._after_commit.append(callback)

"""The job queue: where use cases send work to be done after their transaction commits.

Use cases never talk to the job queue directly: they register `queue.<job>(id)` with
`uow.after_commit`, so a rolled-back transaction leaves no job behind. The processes wire
this to Huey (`runtime.lanes`); tests pass a fake or run the job bodies inline. A running job
holds its row with a lease (`library.leases`).
"""

from __future__ import annotations

from typing import Protocol

from library.uow import UnitOfWork


class JobQueue(Protocol):
    """Where use cases send work to be done after their transaction commits."""

    def ingest(self, job_id: int) -> None:
        """Run the ingest job with this id."""

    def index(self, publication_id: int) -> None:
        """Bring the search index entry of this publication up to date."""

    def deliver(self, request_id: int) -> None:
        """Make the stamped copy of this approved softcopy request."""

    def alert_desk(self, request_id: int) -> None:
        """Tell the librarians this softcopy request waits for their decision."""


INDEX_IN_TRANSACTION = "pustaka.index_in_transaction"  # a session's info: how it writes the index itself


def index_with_transaction(uow: UnitOfWork, queue: JobQueue, publication_id: int) -> None:
    """Bring a changed publication's search entry up to date with this transaction (call it last).

    Where the index lives in the same database (`library.catalogue.indexing.index_in_transactions`
    bound it to the session factory), its rows are written now, in this transaction, and commit
    or roll back with the change; elsewhere a job queued after the commit updates it.
    """
    write_now = uow.session.info.get(INDEX_IN_TRANSACTION)
    if write_now is None:
        uow.after_commit(lambda: queue.index(publication_id))
    else:
        write_now(uow, publication_id)


class NoQueue:
    """A queue that drops work: for callers that run the work themselves."""

    def ingest(self, job_id: int) -> None:
        """Drop the request; the caller runs the job."""

    def index(self, publication_id: int) -> None:
        """Drop the request; the caller updates the index."""

    def deliver(self, request_id: int) -> None:
        """Drop the request; the caller makes the copy."""

    def alert_desk(self, request_id: int) -> None:
        """Drop the request; nobody is told."""

"""The background work library use cases ask for, behind a small interface.

Use cases never talk to the job queue directly: they register `queue.<job>(id)` with
`uow.after_commit`, so a rolled-back transaction leaves no job behind. The web app wires
this to Huey; tests pass a fake or run the job bodies inline.
"""

from __future__ import annotations

from typing import Protocol


class JobQueue(Protocol):
    """Where use cases send work to be done after their transaction commits."""

    def ingest(self, job_id: int) -> None:
        """Run the ingest job with this id."""

    def index(self, publication_id: int) -> None:
        """Bring the search index entry of this publication up to date."""

    def deliver(self, request_id: int) -> None:
        """Make the stamped copy of this approved softcopy request."""


class NoQueue:
    """A queue that drops work: for callers that run the work themselves."""

    def ingest(self, job_id: int) -> None:
        """Drop the request; the caller runs the job."""

    def index(self, publication_id: int) -> None:
        """Drop the request; the caller updates the index."""

    def deliver(self, request_id: int) -> None:
        """Drop the request; the caller makes the copy."""

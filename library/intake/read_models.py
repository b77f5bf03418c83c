"""Read models of ingest jobs: what the librarian's desk and the CLI show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from library.errors import NotFound, PustakaError
from library.i18n import N_
from library.intake.notes import Note, read_notes
from library.models import IngestJob, IngestStatus, Publication
from library.paging import Page, clamp_page, fetch_page
from library.uow import UnitOfWork


@dataclass(frozen=True)
class JobView:
    """One ingest job as people see it."""

    id: int
    name: str
    channel: str
    status: IngestStatus
    pages_done: int
    pages_total: int
    error: PustakaError | None
    notes: tuple[Note, ...]
    publication_id: int | None
    publication_title: str
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @property
    def finished(self) -> bool:
        """Tell whether the job has ended, well or not."""
        return self.status in (IngestStatus.READY, IngestStatus.FAILED)

    @property
    def percent(self) -> int:
        """Return how far the job has come, 0-100."""
        if self.status is IngestStatus.READY:
            return 100
        return int(100 * self.pages_done / self.pages_total) if self.pages_total else 0

    def as_json(self) -> dict[str, Any]:
        """Return the fields a progress poller needs."""
        return {
            "id": self.id,
            "status": self.status.value,
            "pages_done": self.pages_done,
            "pages_total": self.pages_total,
            "percent": self.percent,
            "finished": self.finished,
            "publication_id": self.publication_id,
        }


def get_job(uow: UnitOfWork, job_id: int) -> JobView:
    """Return one ingest job."""
    row = uow.session.execute(_query().where(IngestJob.id == job_id)).first()
    if row is None:
        raise NotFound(N_("There is no ingest job number %(id)s."), id=job_id)
    return _view(*row)


def list_jobs(
    uow: UnitOfWork, *, status: IngestStatus | None = None, page: int = 1, per_page: int = 25
) -> Page[JobView]:
    """Return a page of ingest jobs, newest first."""
    query = _query()
    if status is not None:
        query = query.where(IngestJob.status == status.value)
    query = query.order_by(IngestJob.created_at.desc(), IngestJob.id.desc())
    page, per_page = clamp_page(page, per_page, per_page)
    return fetch_page(uow, query, page, per_page).map(lambda row: _view(*row))


def _query() -> Select[IngestJob, str]:
    """Select jobs with the title of their publication."""
    return select(IngestJob, Publication.title).outerjoin(
        Publication, Publication.id == IngestJob.publication_id
    )


def _view(job: IngestJob, title: str | None) -> JobView:
    """Build the read model of a job."""
    error = None
    if job.status == IngestStatus.FAILED.value:
        error = PustakaError(
            job.error_message or N_("Unexpected error: %(detail)s"), **(job.error_params or {})
        )
    return JobView(
        id=job.id,
        name=job.original_name,
        channel=job.channel,
        status=IngestStatus(job.status),
        pages_done=job.pages_done,
        pages_total=job.pages_total,
        error=error,
        notes=read_notes(job.notes),
        publication_id=job.publication_id,
        publication_title=title or "",
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


@dataclass(frozen=True)
class IntakeProgress:
    """Ingest jobs not finished yet: what the search page tells readers is on its way."""

    jobs: int
    pages_done: int
    pages_total: int


def intake_in_progress(uow: UnitOfWork) -> IntakeProgress:
    """Count the ingest jobs queued or running, and their pages done of all."""
    jobs, done, total = uow.session.execute(
        select(
            func.count(IngestJob.id),
            func.coalesce(func.sum(IngestJob.pages_done), 0),
            func.coalesce(func.sum(IngestJob.pages_total), 0),
        ).where(IngestJob.status.in_([IngestStatus.QUEUED.value, IngestStatus.PROCESSING.value]))
    ).one()
    return IntakeProgress(jobs=int(jobs), pages_done=int(done), pages_total=int(total))

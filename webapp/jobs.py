"""Job wiring: the Huey queue and its tasks.

`SqliteHuey` in the instance folder by default, consumed inside `pustaka serve`;
`RedisHuey` when PUSTAKA_REDIS_URL is set, consumed by `pustaka worker` on any number of
machines. Task bodies are the plain library functions; they take ids. What the tasks run
with comes from the process's runtime (webapp.runtime), built once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from huey import Huey, RedisHuey, SqliteHuey

from library.catalogue.indexing import do_index_publications
from library.intake.jobs import requeue_stalled, run_ingest
from library.settings import Settings
from library.softcopy.copies import prepare_copy, requeue_unprepared
from library.softcopy.decisions import release_embargoed
from search.engine import IndexLockedError

if TYPE_CHECKING:
    from webapp.runtime import Runtime

log = logging.getLogger(__name__)
INDEX_RETRIES = 30


def make_huey(settings: Settings) -> Huey:
    """Return the queue: Redis when configured, else SQLite in the instance folder."""
    if settings.redis_url:
        return RedisHuey("pustaka", url=settings.redis_url)
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("pustaka", filename=str(settings.instance_path / "jobs.sqlite3"))


class Jobs:
    """The queue and its tasks, the same in the web process and in every worker."""

    def __init__(self, runtime: Runtime, huey: Huey | None = None) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.huey = huey or make_huey(runtime.settings)
        self._ingest = self.huey.task(name="ingest")(self._run_ingest)
        self._index = self.huey.task(name="index", retries=INDEX_RETRIES, retry_delay=2)(self._run_index)
        self._deliver = self.huey.task(name="deliver")(self._run_deliver)

    # -- the JobQueue interface library use cases call after commit --------------------
    def ingest(self, job_id: int) -> None:
        """Queue an ingest job."""
        self._ingest(job_id)

    def index(self, publication_id: int) -> None:
        """Queue an index update of one publication."""
        self._index(publication_id)

    def deliver(self, request_id: int) -> None:
        """Queue the making of an approved request's stamped copy."""
        self._deliver(request_id)

    # -- task bodies -----------------------------------------------------------------
    def _run_ingest(self, job_id: int) -> None:
        """Task body: run one ingest job."""
        run_ingest(self.runtime.ingest_worker(), job_id)

    def _run_index(self, publication_id: int) -> None:
        """Task body: update the index entry of one publication (retried while locked)."""
        try:
            with self.runtime.uow() as uow:
                do_index_publications(uow, self.runtime.index(), [publication_id], self.runtime.today())
        except IndexLockedError:
            log.info("The index is busy; publication %s will be indexed on retry.", publication_id)
            raise

    def _run_deliver(self, request_id: int) -> None:
        """Task body: make the stamped copy of one approved request."""
        prepare_copy(self.runtime.copy_worker(), request_id)

    def recover(self) -> list[int]:
        """Queue again the ingest jobs whose worker died or whose message was lost."""
        stalled = requeue_stalled(self.runtime.ingest_worker())
        for job_id in stalled:
            log.warning("Ingest job %s has no live worker; queueing it again.", job_id)
            self.ingest(job_id)
        self.tend_requests()
        return stalled

    def tend_requests(self) -> None:
        """Release requests whose embargo ended and queue again copies whose job was lost."""
        now = dt.datetime.now(dt.UTC)
        lease = dt.timedelta(seconds=self.settings.job_lease_seconds)
        with self.runtime.uow() as uow:
            release_embargoed(uow, self, self.runtime.today(), now)
            uow.commit()
        with self.runtime.uow() as uow:
            lost = requeue_unprepared(uow, now - lease)
        for request_id in lost:
            log.warning("Softcopy request %s has no copy yet; queueing it again.", request_id)
            self.deliver(request_id)

"""Job wiring: two Huey lanes and their tasks.

Work goes down one of two lanes, each its own Huey queue with its own workers, so a reader
never waits behind a librarian's scan:

- **interactive**: work a person is waiting for (a requested copy, the copy of pages scanned for
  a walk-in visitor, promised within a minute even while ingest runs; the emails about accounts,
  sent after the response so that no form waits for the mail server; a walk-in visitor's
  survey link, sent a quarter of an hour after the service unless answered by then). Its
  workers are reserved: batch work cannot occupy them. An idle interactive worker polls the
  SQLite queue every quarter second (Redis wakes it at once).
- **batch**: ingest (OCR), index updates. An ingest job runs in a child process that starts
  for the job and ends with it, at a lower CPU priority (`nice`): the site and the copies
  keep the CPU they need, and the memory of a large scan goes back to the system.

Both lanes live in `SqliteHuey` in the instance folder by default (consumed inside `pustaka
serve`), or in `RedisHuey` when PUSTAKA_REDIS_URL is set (consumed by `pustaka worker`
processes, each for one lane or both). Task bodies are the plain library functions; they take
ids. What the tasks run with comes from the process's runtime (webapp.runtime), built once,
which makes its `Jobs`: this module knows the runtime only by the services it asks of it
(`JobServices`), so the two do not import each other.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from huey import Huey, RedisHuey, SqliteHuey

from library.accounts.mail_job import send_account_mail
from library.catalogue.indexing import do_index_publications
from library.consultation.alerts import alert_consultants
from library.consultation.silence import close_silent
from library.filestore import FileStore
from library.frontoffice import requeue_unstamped, run_visitor_scan
from library.frontoffice.identity_mail import send_visit_code
from library.intake.jobs import run_ingest
from library.intake.recovery import requeue_orphaned, requeue_stalled
from library.knowledge.indexing import do_index_answers
from library.ledger import Pruned, prune_copies
from library.mail import outbox_path, prune_outbox
from library.quality import send_complaint_mail
from library.quality.complaints.alerts import alert_complaint_staff
from library.quality.visit_mail import SEND_AFTER, send_visit_survey
from library.settings import Settings
from library.softcopy.alerts import alert_librarians
from library.softcopy.copies import prepare_copy, requeue_unprepared
from library.softcopy.decisions import release_embargoed
from library.uow import UnitOfWork
from search.engine import IndexLockedError
from webapp.batch_child import run_in_child
from webapp.job_log import log_failures
from webapp.lane_health import LaneHealth, lane_health, watch
from webapp.metrics import copy_made, counted

if TYPE_CHECKING:
    from library.accounts.mail_job import AccountPost
    from library.consultation.rules import ConsultationPost, ConsultationRules
    from library.frontoffice import ScanWorker
    from library.intake import IngestWorker
    from library.knowledge.indexing import AnswerIndex
    from library.mail import Mailer
    from library.quality.complaints.mail import ComplaintMailPost
    from library.quality.visit_mail import SurveyPost
    from library.softcopy.alerts import DeskAlerts
    from library.softcopy.copies import CopyWorker
    from library.working_days import Calendar
    from search.engine import SearchEngine
    from webapp.links import PublicLinks

log = logging.getLogger(__name__)
INDEX_RETRIES = 30
# A mail server that is down is tried again every half minute for 20 minutes: a blip costs the
# person half a minute, and a reset link (2 hours) is signed when the email finally leaves.
MAIL_RETRIES, MAIL_RETRY_SECONDS = 40, 30


class Lane(enum.StrEnum):
    """A queue with its own workers."""

    INTERACTIVE = "interactive"
    BATCH = "batch"


def make_lanes(settings: Settings, name: str = "pustaka") -> dict[Lane, Huey]:
    """Return one queue per lane: Redis when configured, else SQLite in the instance folder."""
    if settings.redis_url:
        return {lane: RedisHuey(f"{name}-{lane}", url=settings.redis_url) for lane in Lane}
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    filename = str(settings.instance_path / "jobs.sqlite3")
    return {lane: SqliteHuey(f"{name}-{lane}", filename=filename) for lane in Lane}


class JobServices(Protocol):
    """What the tasks run with: the process's runtime (webapp.runtime.Runtime), as the tasks see it."""

    settings: Settings
    queue_name: str

    def uow(self) -> UnitOfWork: ...
    def transaction(self) -> AbstractContextManager[UnitOfWork]: ...
    def now(self) -> dt.datetime: ...
    def today(self) -> dt.date: ...
    def index(self) -> SearchEngine: ...
    def answers(self, *, writing: bool = False) -> AnswerIndex: ...
    def ingest_worker(self) -> IngestWorker: ...
    def copy_worker(self) -> CopyWorker: ...
    def scan_worker(self) -> ScanWorker: ...
    def desk_alerts(self) -> DeskAlerts: ...
    def account_post(self) -> AccountPost: ...
    def survey_post(self) -> SurveyPost: ...
    def complaint_mail_post(self) -> ComplaintMailPost: ...
    def consultation_rules(self) -> ConsultationRules: ...
    def consultation_post(self) -> ConsultationPost: ...
    def calendar(self) -> Calendar: ...
    def close(self) -> None: ...
    @property
    def mailer(self) -> Mailer: ...

    links: PublicLinks

    @property
    def store(self) -> FileStore: ...


# Makes a process's runtime from its settings and queue name: the runtime's own class, which a
# batch child (spawned, not forked) is handed by name to build a runtime of its own.
RuntimeMaker = Callable[[Settings, str], JobServices]


class Jobs:
    """The lanes and their tasks, the same in the web process and in every worker."""

    def __init__(self, runtime: JobServices, queue_name: str = "pustaka") -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.lanes = make_lanes(runtime.settings, queue_name)
        for lane, huey in self.lanes.items():
            watch(huey, lane.value)
            log_failures(huey)
        interactive, batch = self.lanes[Lane.INTERACTIVE], self.lanes[Lane.BATCH]
        self._deliver = interactive.task(name="deliver")(self._run_deliver)
        self._scan = interactive.task(name="scan")(self._run_scan)
        self._alert_desk = interactive.task(name="alert_desk")(self._run_alert_desk)
        self._alert_consultants = interactive.task(name="alert_consultants")(self._run_alert_consultants)
        self._alert_complaint = interactive.task(name="alert_complaint")(self._run_alert_complaint)
        self._account_mail = interactive.task(
            name="account_mail", retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_SECONDS
        )(self._run_account_mail)
        self._survey_mail = interactive.task(
            name="survey_mail", retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_SECONDS
        )(self._run_survey_mail)
        self._visit_code_mail = interactive.task(
            name="visit_code_mail", retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_SECONDS
        )(self._run_visit_code_mail)
        self._complaint_mail = interactive.task(
            name="complaint_mail", retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_SECONDS
        )(self._run_complaint_mail)
        self._ingest = batch.task(name="ingest")(self._run_ingest)
        self._index = batch.task(name="index", retries=INDEX_RETRIES, retry_delay=2)(self._run_index)
        self._index_answer = batch.task(name="index_answer", retries=INDEX_RETRIES, retry_delay=2)(
            self._run_index_answer
        )

    @property
    def immediate(self) -> bool:
        """Tell whether queued jobs run at once, in the caller (tests)."""
        return all(huey.immediate for huey in self.lanes.values())

    @immediate.setter
    def immediate(self, value: bool) -> None:
        for huey in self.lanes.values():
            huey.immediate = value

    def pending_count(self) -> int:
        """Return how many jobs wait on all lanes."""
        return sum(huey.pending_count() for huey in self.lanes.values())

    def health(self, now: float | None = None) -> list[LaneHealth]:
        """Return each lane's depth, oldest job's age and live workers (`webapp.lane_health`)."""
        lease = self.settings.job_lease_seconds
        return [lane_health(lane.value, huey, lease, now) for lane, huey in self.lanes.items()]

    def flush(self) -> None:
        """Drop every queued job of both lanes (a test's own queue)."""
        for huey in self.lanes.values():
            huey.storage.flush_all()

    # -- the JobQueue interface library use cases call after commit --------------------
    def ingest(self, job_id: int) -> None:
        """Queue an ingest job (batch lane)."""
        self._ingest(job_id)

    def index(self, publication_id: int) -> None:
        """Queue an index update of one publication (batch lane)."""
        self._index(publication_id)

    def index_answer(self, entry_id: int) -> None:
        """Queue an update of one knowledge-base entry in the answers' index (batch lane)."""
        self._index_answer(entry_id)

    def deliver(self, request_id: int) -> None:
        """Queue the making of an approved request's stamped copy (interactive lane)."""
        self._deliver(request_id)

    def scan(self, scan_id: int) -> None:
        """Queue the stamping of a visitor's scan (interactive lane)."""
        self._scan(scan_id)

    def alert_desk(self, request_id: int) -> None:
        """Queue the email telling librarians a request waits for them (interactive lane: it is short)."""
        self._alert_desk(request_id)

    def alert_consultants(self, number: str) -> None:
        """Queue the email telling the consultants a consultation arrived."""
        self._alert_consultants(number)

    def alert_complaint(self, code: str) -> None:
        """Queue the email telling the complaint staff a complaint arrived."""
        self._alert_complaint(code)

    def account_mail(self, notice: str, address: str, user_id: int | None) -> None:
        """Queue an email about an account (interactive lane; tried again while the server is down)."""
        self._account_mail(notice, address, user_id)

    def survey_mail(self, ticket_id: int) -> None:
        """Email a walk-in visitor their survey link a while after the service (interactive lane)."""
        self._survey_mail.schedule(args=(ticket_id,), delay=SEND_AFTER.total_seconds())

    def visit_code_mail(self, visit_id: int) -> None:
        """Queue the email with a walk-in visit's one-time code (interactive lane: the visitor waits)."""
        self._visit_code_mail(visit_id)

    def complaint_mail(self, event_id: int) -> None:
        """Queue the email about a step of a complaint (interactive lane; tried again while mail is down)."""
        self._complaint_mail(event_id)

    # -- task bodies -----------------------------------------------------------------
    def _run_ingest(self, job_id: int) -> None:
        """Task body: run one ingest job, in a child process unless jobs run in the caller."""
        if self.immediate:
            run_ingest(self.runtime.ingest_worker(), job_id)
            return
        make: RuntimeMaker = type(self.runtime)
        run_in_child(ingest_in_child, self.settings, make, self.runtime.queue_name, job_id)

    def _run_index(self, publication_id: int) -> None:
        """Task body: update the index entry of one publication (retried while locked)."""
        try:
            with self.runtime.uow() as uow:
                do_index_publications(uow, self.runtime.index(), [publication_id], self.runtime.today())
        except IndexLockedError:
            log.info("The index is busy; publication %s will be indexed on retry.", publication_id)
            raise

    def _run_index_answer(self, entry_id: int) -> None:
        """Task body: update one entry in the answers' index (retried while locked)."""
        try:
            with self.runtime.uow() as uow:
                do_index_answers(uow, self.runtime.answers(writing=True), [entry_id])
        except IndexLockedError:
            log.info("The answers index is busy; entry %s will be indexed on retry.", entry_id)
            raise

    def _run_deliver(self, request_id: int) -> None:
        """Task body: make the stamped copy of one approved request."""
        if prepare_copy(self.runtime.copy_worker(), request_id) is not None:
            copy_made(self.runtime, "request", request_id)

    def _run_alert_desk(self, request_id: int) -> None:
        """Task body: email the librarians that a request waits for their decision."""
        alert_librarians(self.runtime.desk_alerts(), request_id)

    def _run_alert_consultants(self, number: str) -> None:
        """Task body: email the consultants of a new consultation."""
        with self.runtime.transaction() as uow:
            alert_consultants(uow, self.runtime.consultation_post(), number)

    def _run_alert_complaint(self, code: str) -> None:
        """Task body: email the complaint staff of a new complaint."""
        rt = self.runtime
        with rt.transaction() as uow:
            alert_complaint_staff(uow, rt.mailer, code, rt.links.desk_complaint_page, rt.calendar())

    def _run_account_mail(self, notice: str, address: str, user_id: int | None) -> None:
        """Task body: write and send one account email; a failure to send raises, so Huey retries."""
        send_account_mail(self.runtime.account_post(), notice, address, user_id)

    def _run_survey_mail(self, ticket_id: int) -> None:
        """Task body: email a visitor their survey link unless answered; a failed send raises, to retry."""
        send_visit_survey(self.runtime.survey_post(), ticket_id)

    def _run_visit_code_mail(self, visit_id: int) -> None:
        """Task body: send a visit's one-time code; a failure to send raises, so Huey retries."""
        send_visit_code(self.runtime.account_post(), visit_id)

    def _run_complaint_mail(self, event_id: int) -> None:
        """Task body: write and send the email about a complaint's step; a failure raises, so Huey retries."""
        send_complaint_mail(self.runtime.complaint_mail_post(), event_id)

    def _run_scan(self, scan_id: int) -> None:
        """Task body: stamp the pages scanned for a visitor and offer the copy."""
        if run_visitor_scan(self.runtime.scan_worker(), scan_id) is not None:
            copy_made(self.runtime, "scan", scan_id)

    def recover(self) -> list[int]:
        """Queue again the ingest jobs whose worker died or whose message was lost; return their ids."""
        worker = self.runtime.ingest_worker()
        orphans = requeue_orphaned(worker)
        for orphan in orphans:
            log.warning(
                "Ingest job %s: its worker (%s) on this machine has ended; taking the job over now.",
                orphan.job_id,
                orphan.holder,
            )
            self.ingest(orphan.job_id)
        stalled = requeue_stalled(worker)
        counted().jobs.labels(Lane.BATCH.value, "ingest", "taken_over").inc(len(orphans) + len(stalled))
        for job_id in stalled:
            log.warning("Ingest job %s has no live worker; queueing it again.", job_id)
            self.ingest(job_id)
        self.tend_requests()
        self.tend_consultations()
        return [orphan.job_id for orphan in orphans] + stalled

    def tend_requests(self) -> None:
        """Release requests whose embargo ended; queue again copies (and scans' copies) whose job was lost."""
        now = dt.datetime.now(dt.UTC)
        lease = dt.timedelta(seconds=self.settings.job_lease_seconds)
        with self.runtime.transaction() as uow:
            release_embargoed(uow, self, self.runtime.today(), now)
        with self.runtime.transaction() as uow:
            lost = requeue_unprepared(uow, now - lease, lease)  # claims of ended processes freed
        counted().jobs.labels(Lane.INTERACTIVE.value, "deliver", "taken_over").inc(len(lost))
        for request_id in lost:
            log.warning("Softcopy request %s has no copy yet; queueing it again.", request_id)
            self.deliver(request_id)
        with self.runtime.transaction() as uow:
            unstamped = requeue_unstamped(uow, now - lease, lease)
        counted().jobs.labels(Lane.INTERACTIVE.value, "scan", "taken_over").inc(len(unstamped))
        for scan_id in unstamped:
            log.warning("Visitor scan %s has no copy yet; queueing it again.", scan_id)
            self.scan(scan_id)

    def keep_house(self) -> None:
        """Let go of copies no link can download any more and of old outbox mail (`keep_house`)."""
        keep_house(self.runtime)

    def tend_consultations(self) -> None:
        """Remind users who leave a consultant waiting, and close consultations silent past the office's rule.

        Every process consuming a lane runs this with its recovery (every half lease): the
        steps are conditional updates, so processes running it together remind and close once.
        """
        rt = self.runtime
        with rt.transaction() as uow:
            run = close_silent(uow, rt.consultation_rules(), rt.now(), rt.consultation_post())
        for number in run.closed:
            log.info("Consultation %s closed automatically: the user stayed silent.", number)


def keep_house(rt: JobServices, *, dry_run: bool = False) -> tuple[Pruned, tuple[int, int]]:
    """Let go of stored copies no link can download any more and of old outbox mail; return what went.

    Every worker runs it about once an hour (`Recovery`), and `pustaka housekeeping` on demand:
    deleting a file another process deleted a moment ago is no error, so they may overlap.
    """
    s = rt.settings
    with rt.uow() as uow:
        copies = prune_copies(uow, rt.store, rt.now(), dt.timedelta(days=s.keep_copies_days), dry_run=dry_run)
    mail = prune_outbox(outbox_path(s), rt.now(), dt.timedelta(days=s.keep_outbox_days), dry_run=dry_run)
    if (copies.copies or mail[0]) and not dry_run:
        log.info(
            "Housekeeping: %s stamped copies (%s MB) no link can download, and %s outbox emails, deleted.",
            copies.copies,
            copies.size // 1_000_000,
            mail[0],
        )
    return copies, mail


def ingest_in_child(settings: Settings, make_runtime: RuntimeMaker, queue_name: str, job_id: int) -> None:
    """Run one ingest job with a runtime of its own (in a batch child), queueing on the same lanes."""
    runtime = make_runtime(settings, queue_name)
    try:
        run_ingest(runtime.ingest_worker(), job_id)
    finally:
        runtime.close()

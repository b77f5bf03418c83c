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
processes, each for one lane or both). Each job is declared once, a line of `Jobs`: its lane,
its retries and its body (`runtime.tasks`, which calls one library use case with the ids it was
given); the Huey tasks are registered from those lines. What the tasks run with comes from the
process's runtime (runtime.root), built once, which makes its `Jobs`: this module knows the
runtime only by the services it asks of it (`runtime.tasks.JobServices`), so the two do not
import each other.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable
from functools import partial
from typing import Any, Concatenate, Generic, ParamSpec, cast, overload

from huey import Huey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper

from library.consultation.silence import close_silent
from library.frontoffice.scans.copies import requeue_unstamped
from library.intake.recovery import requeue_orphaned, requeue_stalled
from library.ledger.housekeeping import Pruned, prune_copies
from library.mail import outbox_path, prune_outbox
from library.quality.visit_mail import SEND_AFTER
from library.settings import Settings
from library.softcopy.copies import requeue_unprepared
from library.softcopy.decisions import release_embargoed
from runtime import tasks
from runtime.consultation_mailbox import MailboxSchedule
from runtime.counted import counted
from runtime.job_log import log_failures
from runtime.lane_health import LaneHealth, lane_health, watch
from runtime.tasks import JobServices, TaskHost

P = ParamSpec("P")

log = logging.getLogger(__name__)
INDEX_RETRIES = 30
# A mail server that is down is tried again every half minute for 20 minutes: a blip costs the
# person half a minute, and a reset link (2 hours) is signed when the email finally leaves.
MAIL_RETRIES, MAIL_RETRY_SECONDS = 40, 30
# A phone message is news: tried again for a few minutes (library.messaging.outbox.ATTEMPTS), then given up.
PHONE_RETRIES, PHONE_RETRY_SECONDS = 3, 20
# A file sent on WhatsApp, while the platform is away: tried for 20 minutes (library.consultation's
# whatsapp_channel.PATIENCE: the last try notes it in the thread).
MEDIA_RETRIES, MEDIA_RETRY_SECONDS = 4, 300
# A consultation's answer by email or WhatsApp: tried for about an hour (then the sweep; a day: failed).
OUTSIDE_RETRIES, OUTSIDE_RETRY_SECONDS = 6, 600


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


class Job(Generic[P]):
    """One job, declared once as an attribute of `Jobs`: its lane, its retries and its body.

    Read on a `Jobs` (`jobs.deliver(request_id)`), it queues the job on its lane, typed as its
    body is (less the body's first argument, the lanes it runs on); read on the class, it is the
    declaration, which `Jobs` registers with Huey under the attribute's name.
    """

    def __init__(
        self,
        lane: Lane,
        body: Callable[Concatenate[TaskHost, P], None],  # a function of runtime.tasks
        retries: int = 0,
        retry_delay: int = 0,
        after: dt.timedelta | None = None,  # queued to run this long after it is asked for
    ) -> None:
        self.lane, self.body, self.retries, self.retry_delay, self.after = (
            lane,
            body,
            retries,
            retry_delay,
            after,
        )
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, jobs: None, owner: type) -> Job[P]: ...

    @overload
    def __get__(self, jobs: Jobs, owner: type) -> Callable[P, None]: ...

    def __get__(self, jobs: Jobs | None, owner: type) -> Job[P] | Callable[P, None]:
        if jobs is None:
            return self
        return cast("Callable[P, None]", partial(jobs.enqueue, self.name))


class Jobs:
    """The lanes and their jobs, the same in the web process and in every worker.

    Each job is one line below; library use cases call them after commit (as their JobQueue
    and its kin), and a worker runs the body of what it takes off a lane (`run`).
    """

    ingest = Job(Lane.BATCH, tasks.ingest)
    index = Job(Lane.BATCH, tasks.index, INDEX_RETRIES, 2)
    index_answer = Job(Lane.BATCH, tasks.index_answer, INDEX_RETRIES, 2)  # a knowledge-base entry
    backup = Job(Lane.BATCH, tasks.backup)  # asked for on the admin page: a worker may write its folder
    deliver = Job(Lane.INTERACTIVE, tasks.deliver)  # an approved request's stamped copy
    visitor_scan = Job(Lane.INTERACTIVE, tasks.visitor_scan)  # printed pages scanned for a visitor, stamped
    alert_desk = Job(Lane.INTERACTIVE, tasks.alert_desk)  # librarians told a request waits
    alert_consultants = Job(Lane.INTERACTIVE, tasks.alert_new_consultation)
    alert_complaint = Job(Lane.INTERACTIVE, tasks.alert_complaint)
    account_mail = Job(Lane.INTERACTIVE, tasks.account_mail, MAIL_RETRIES, MAIL_RETRY_SECONDS)
    survey_mail = Job(Lane.INTERACTIVE, tasks.survey_mail, MAIL_RETRIES, MAIL_RETRY_SECONDS, SEND_AFTER)
    visit_code_mail = Job(Lane.INTERACTIVE, tasks.visit_code_mail, MAIL_RETRIES, MAIL_RETRY_SECONDS)
    complaint_mail = Job(Lane.INTERACTIVE, tasks.complaint_mail, MAIL_RETRIES, MAIL_RETRY_SECONDS)
    phone_news = Job(Lane.INTERACTIVE, tasks.phone_news)  # a queue's visitors told what a call changed
    consultation_answered = Job(Lane.INTERACTIVE, tasks.consultation_answered)
    phone_message = Job(Lane.INTERACTIVE, tasks.phone_message, PHONE_RETRIES, PHONE_RETRY_SECONDS)
    consultation_outside = Job(
        Lane.INTERACTIVE, tasks.consultation_outside, OUTSIDE_RETRIES, OUTSIDE_RETRY_SECONDS
    )
    push_message = Job(Lane.INTERACTIVE, tasks.push_message, PHONE_RETRIES, PHONE_RETRY_SECONDS)
    whatsapp_media = Job(Lane.INTERACTIVE, tasks.whatsapp_media, MEDIA_RETRIES, MEDIA_RETRY_SECONDS)

    def __init__(self, rt: JobServices, queue_name: str = "pustaka") -> None:
        self.rt = rt
        self.settings = rt.settings
        self.lanes = make_lanes(rt.settings, queue_name)
        for lane, huey in self.lanes.items():
            watch(huey, lane.value)
            log_failures(huey)
        self.registered: dict[str, TaskWrapper] = {name: self._register(job) for name, job in TASKS.items()}
        self.mailbox = MailboxSchedule()

    def _register(self, job: Job[Any]) -> TaskWrapper:
        """Register one job on its lane's Huey."""

        def run(*args: Any) -> None:
            self.run(job.name, *args)

        huey = self.lanes[job.lane]
        return huey.task(name=job.name, retries=job.retries, retry_delay=job.retry_delay)(run)

    def run(self, name: str, *args: Any) -> None:
        """Run a job's body here, now: what a worker does with a queued job."""
        TASKS[name].body(self, *args)

    def enqueue(self, name: str, *args: Any) -> None:
        """Queue a job on its lane (after the job's delay, if it has one)."""
        after = TASKS[name].after
        if after is None:
            self.registered[name](*args)
        else:
            self.registered[name].schedule(args=args, delay=after.total_seconds())

    @property
    def immediate(self) -> bool:
        """Tell whether queued jobs run at once, in the caller (tests)."""
        return all(huey.immediate for huey in self.lanes.values())

    @immediate.setter
    def immediate(self, value: bool) -> None:
        for huey in self.lanes.values():
            if huey.immediate != value:
                # Huey swaps in another storage (memory, or the queue's file) and drops the one in
                # use: closed here, its SQLite connection is not left for the garbage collector.
                huey.storage.close()
            huey.immediate = value

    def close(self) -> None:
        """Close each lane's connection to its queue; a lane used again opens a new one.

        SqliteHuey keeps one connection to the queue's file open from its first job on; without
        this it would be closed only by the garbage collector (Python 3.13 warns of it).
        """
        for huey in self.lanes.values():
            huey.storage.close()

    def pending_count(self) -> int:
        """Return how many jobs wait on all lanes."""
        return sum(huey.pending_count() for huey in self.lanes.values())

    def health(self, now: float | None = None) -> list[LaneHealth]:
        """Return each lane's depth, oldest job's age and live workers (`runtime.lane_health`)."""
        lease = self.settings.job_lease_seconds
        return [lane_health(lane.value, huey, lease, now) for lane, huey in self.lanes.items()]

    def flush(self) -> None:
        """Drop every queued job of both lanes (a test's own queue)."""
        for huey in self.lanes.values():
            huey.storage.flush_all()

    # -- recovery and housekeeping, run by every consuming process ------------------------
    def recover(self) -> list[int]:
        """Queue again the ingest jobs whose worker died or whose message was lost; return their ids."""
        worker = self.rt.ingest_worker()
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
        now = self.rt.now()
        lease = dt.timedelta(seconds=self.settings.job_lease_seconds)
        with self.rt.transaction() as uow:
            release_embargoed(uow, self, self.rt.today(), now)
        with self.rt.transaction() as uow:
            lost = requeue_unprepared(uow, now - lease, lease)  # claims of ended processes freed
        counted().jobs.labels(Lane.INTERACTIVE.value, "deliver", "taken_over").inc(len(lost))
        for request_id in lost:
            log.warning("Softcopy request %s has no copy yet; queueing it again.", request_id)
            self.deliver(request_id)
        with self.rt.transaction() as uow:
            unstamped = requeue_unstamped(uow, now - lease, lease)
        counted().jobs.labels(Lane.INTERACTIVE.value, "visitor_scan", "taken_over").inc(len(unstamped))
        for scan_id in unstamped:
            log.warning("Visitor scan %s has no copy yet; queueing it again.", scan_id)
            self.visitor_scan(scan_id)

    def keep_house(self) -> None:
        """Let go of expired copies and old outbox mail (`keep_house`); count usage, prune its old events."""
        from runtime.usage_upkeep import keep_usage

        keep_house(self.rt)
        keep_usage(self.rt, self.settings.usage_keep_events_months)

    def tend_consultations(self) -> None:
        """Remind silent users, close consultations silent past the office's rule, read the mailbox when due.

        The consultation mailbox is read when its interval has passed (`runtime.consultation_mailbox`).

        Every process consuming a lane runs this with its recovery (every half lease): the
        steps are conditional updates, so processes running it together remind and close once.
        """
        rt = self.rt
        with rt.transaction() as uow:
            run = close_silent(uow, rt.consultation_rules(), rt.now(), rt.consultation_post())
        for number in run.closed:
            log.info("Consultation %s closed automatically: the user stayed silent.", number)
        self.mailbox.read_if_due(rt)  # email to the office's consultation mailbox, when one is set


# Every job by name, as Huey knows it.
TASKS: dict[str, Job[Any]] = {name: job for name, job in vars(Jobs).items() if isinstance(job, Job)}


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

"""What each job runs: one body per task, each calling one library use case with the ids it was given.

The table in `runtime.lanes` names each task's lane and retries and points at its body here.
A body takes the lanes that run it (`TaskHost`: the process's runtime, and whether jobs run in
the caller) and the job's arguments. The runtime is known here only by the services the bodies
ask of it (`JobServices`), so this module never imports the composition root.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session, sessionmaker

from library.accounts.mail_job import send_account_mail
from library.catalogue.indexing import do_index_publications
from library.consultation.alerts import alert_consultants
from library.consultation.outside import OutsideSender, send_outside
from library.consultation.phone import tell_answered
from library.consultation.whatsapp_channel import keep_media
from library.filestore import FileStore
from library.frontoffice.identity_mail import send_visit_code
from library.frontoffice.news import Told, tell_queue_moved, tell_scan_ready, tell_survey
from library.frontoffice.queue.priority import PriorityPolicy
from library.frontoffice.scans.copies import run_visitor_scan
from library.intake.ingest_job import run_ingest
from library.knowledge.indexing import do_index_answers
from library.messaging.gateways import GatewayAway
from library.messaging.outbox import PhonePost, send_message
from library.messaging.push_outbox import PushPost, send_push
from library.messaging.whatsapp_api import CloudApi
from library.messaging.whatsapp_hook import Media
from library.moving.nightly import run_backup
from library.quality.complaints.alerts import alert_complaint_staff
from library.quality.complaints.mail import send_complaint_mail
from library.quality.visit_mail import send_visit_survey
from library.settings import Settings
from library.softcopy.alerts import alert_librarians
from library.softcopy.copies import prepare_copy
from library.uow import UnitOfWork
from runtime.backup_plan import plan_of
from runtime.batch_child import run_in_child
from runtime.counted import copy_made
from search.engine import IndexLockedError

if TYPE_CHECKING:
    from library.accounts.mail_job import AccountPost
    from library.consultation.rules import ConsultationPost, ConsultationRules
    from library.frontoffice.scans.copies import ScanWorker
    from library.intake.ingest_job import IngestWorker
    from library.knowledge.indexing import AnswerIndex
    from library.mail import Mailer
    from library.quality.complaints.mail import ComplaintMailPost
    from library.quality.visit_mail import SurveyPost
    from library.softcopy.alerts import DeskAlerts
    from library.softcopy.copies import CopyWorker
    from library.working_days import Calendar
    from runtime.links import PublicLinks
    from search.engine import SearchEngine

log = logging.getLogger(__name__)


class JobServices(Protocol):
    """What the tasks run with: the process's runtime (runtime.root.Runtime), as the tasks see it."""

    settings: Settings
    queue_name: str

    @property
    def session_factory(self) -> sessionmaker[Session]: ...
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
    def phone_post(self) -> PhonePost: ...

    def push_post(self) -> PushPost | None: ...
    def whatsapp_api(self) -> CloudApi: ...

    def priority_policy(self) -> PriorityPolicy: ...

    def complaint_mail_post(self) -> ComplaintMailPost: ...
    def consultation_rules(self) -> ConsultationRules: ...
    def consultation_post(self) -> ConsultationPost: ...
    def outside_senders(self) -> Mapping[str, OutsideSender]: ...
    def calendar(self) -> Calendar: ...
    def timezone(self) -> str: ...
    @property
    def secret_key(self) -> bytes: ...
    @property
    def delivery_key(self) -> bytes: ...
    def close(self) -> None: ...
    @property
    def mailer(self) -> Mailer: ...

    links: PublicLinks

    @property
    def store(self) -> FileStore: ...


class TaskHost(Protocol):
    """The lanes a task runs on, as its body sees them."""

    rt: JobServices

    @property
    def immediate(self) -> bool: ...

    def phone_message(self, message_id: int) -> None: ...

    def push_message(self, message_id: int) -> None: ...


# Makes a process's runtime from its settings and queue name: the runtime's own class, which a
# batch child (spawned, not forked) is handed by name to build a runtime of its own.
RuntimeMaker = Callable[[Settings, str], JobServices]


def ingest(host: TaskHost, job_id: int) -> None:
    """Run one ingest job, in a child process unless jobs run in the caller."""
    rt = host.rt
    if host.immediate:
        run_ingest(rt.ingest_worker(), job_id)
        return
    make: RuntimeMaker = type(rt)
    run_in_child(ingest_in_child, rt.settings, make, rt.queue_name, job_id)


def ingest_in_child(settings: Settings, make_runtime: RuntimeMaker, queue_name: str, job_id: int) -> None:
    """Run one ingest job with a runtime of its own (in a batch child), queueing on the same lanes."""
    rt = make_runtime(settings, queue_name)
    try:
        run_ingest(rt.ingest_worker(), job_id)
    finally:
        rt.close()


def index(host: TaskHost, publication_id: int) -> None:
    """Update the index entry of one publication (retried while locked)."""
    rt = host.rt
    try:
        with rt.uow() as uow:
            do_index_publications(uow, rt.index(), [publication_id], rt.today())
    except IndexLockedError:
        log.info("The index is busy; publication %s will be indexed on retry.", publication_id)
        raise


def index_answer(host: TaskHost, entry_id: int) -> None:
    """Update one entry in the answers' index (retried while locked)."""
    rt = host.rt
    try:
        with rt.uow() as uow:
            do_index_answers(uow, rt.answers(writing=True), [entry_id])
    except IndexLockedError:
        log.info("The answers index is busy; entry %s will be indexed on retry.", entry_id)
        raise


def deliver(host: TaskHost, request_id: int) -> None:
    """Make the stamped copy of one approved request."""
    if prepare_copy(host.rt.copy_worker(), request_id) is not None:
        copy_made(host.rt, "request", request_id)


def visitor_scan(host: TaskHost, scan_id: int) -> None:
    """Stamp the pages scanned for a visitor and offer the copy."""
    if run_visitor_scan(host.rt.scan_worker(), scan_id) is not None:
        copy_made(host.rt, "scan", scan_id)
        post = host.rt.phone_post()
        if post.gateway is not None or post.push:
            _send_now(host, post, tell_scan_ready(post, scan_id))


def alert_desk(host: TaskHost, request_id: int) -> None:
    """Email the librarians that a request waits for their decision."""
    alert_librarians(host.rt.desk_alerts(), request_id)


def alert_new_consultation(host: TaskHost, number: str) -> None:
    """Email the consultants of a new consultation."""
    with host.rt.transaction() as uow:
        alert_consultants(uow, host.rt.consultation_post(), number)


def alert_complaint(host: TaskHost, code: str) -> None:
    """Email the complaint staff of a new complaint."""
    rt = host.rt
    with rt.transaction() as uow:
        alert_complaint_staff(uow, rt.mailer, code, rt.links.desk_complaint_page, rt.calendar())


def account_mail(host: TaskHost, notice: str, address: str, user_id: int | None) -> None:
    """Write and send one account email; a failure to send raises, so Huey retries."""
    send_account_mail(host.rt.account_post(), notice, address, user_id)


def survey_mail(host: TaskHost, ticket_id: int) -> None:
    """Email a visitor their survey link unless answered (a failed send raises, to retry); and their phone."""
    send_visit_survey(host.rt.survey_post(), ticket_id)
    post = host.rt.phone_post()
    if post.gateway is not None or post.push:
        _send_now(host, post, tell_survey(post, ticket_id))


def consultation_answered(host: TaskHost, consultation_id: int) -> None:
    """Tell an online consultation's asker on their phone that it was answered, sending at once."""
    post = host.rt.phone_post()
    if post.gateway is not None:
        _send_now(
            host, post, Told(phone=tell_answered(post, consultation_id, host.rt.links.consultation_page))
        )


def consultation_outside(host: TaskHost, message_id: int) -> None:
    """Send one message of a consultation asked by email or WhatsApp; a channel away raises, to try again."""
    rt = host.rt
    send_outside(rt.session_factory, message_id, rt.outside_senders(), rt.now)


def phone_news(host: TaskHost, ticket_id: int) -> None:
    """Tell the visitors of a ticket's queue what its call changed for them, sending at once."""
    post = host.rt.phone_post()
    if post.gateway is not None or post.push:
        _send_now(host, post, tell_queue_moved(post, ticket_id, host.rt.priority_policy()))


def phone_message(host: TaskHost, message_id: int) -> None:
    """Send one phone message; a gateway away raises, so Huey tries again (a few times)."""
    send_message(host.rt.phone_post(), message_id)


def push_message(host: TaskHost, message_id: int) -> None:
    """Send one Web Push message; a push service away raises, so Huey tries again (a few times)."""
    push = host.rt.push_post()
    if push is not None:
        send_push(push, message_id)


def _send_now(host: TaskHost, post: PhonePost, told: Told) -> None:
    """Send each message now; one whose gateway (or push service) is away is queued to be tried again."""
    for message_id in told.phone:
        try:
            send_message(post, message_id)
        except GatewayAway:
            host.phone_message(message_id)
    push = host.rt.push_post() if told.push else None
    for message_id in told.push:
        if push is None:
            break
        try:
            send_push(push, message_id)
        except GatewayAway:
            host.push_message(message_id)


def whatsapp_media(
    host: TaskHost, wamid: str, media_id: str, kind: str, mime_type: str, filename: str
) -> None:
    """Fetch the file a WhatsApp message carried and attach it (or note why not); the platform away raises."""
    rt = host.rt
    media = Media(media_id, kind, mime_type, filename)
    outcome = keep_media(rt.uow, rt.whatsapp_api(), rt.store, wamid, media, rt.now())
    log.info("WhatsApp file of %s: %s.", wamid, outcome)


def visit_code_mail(host: TaskHost, visit_id: int) -> None:
    """Send a visit's one-time code; a failure to send raises, so Huey retries."""
    send_visit_code(host.rt.account_post(), visit_id)


def complaint_mail(host: TaskHost, event_id: int) -> None:
    """Write and send the email about a complaint's step; a failure raises, so Huey retries."""
    send_complaint_mail(host.rt.complaint_mail_post(), event_id)


def backup(host: TaskHost) -> None:
    """Make a backup asked for on the admin page, as the timer does (recorded; a failure is emailed)."""
    rt = host.rt
    _ = rt.secret_key, rt.delivery_key  # made now if never used, as `pustaka backup` does; a lost one refuses
    made = run_backup(rt, plan_of(rt.settings), None, lambda step: log.debug("Backup: %s.", step))
    log.info("Backup made in %s: %s files, %s bytes written anew.", made.path, made.files, made.written)

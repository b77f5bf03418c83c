"""The consultation mailbox's job: read it every PUSTAKA_CONSULTATION_IMAP_EVERY_SECONDS, count what came.

Every process consuming a lane tends the consultations (`Jobs.tend_consultations`, every half
lease); the mailbox is read there when its interval has passed in this process. Two processes
reading at once take each email once: the core keeps one receipt per Message-ID, and the second
transaction to keep an id fails and leaves the email to the next run, which finds it a repeat.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from library.consultation.by_email import mailbox_job
from library.consultation.by_email.intake import Desk, MailboxRun, Oversized, read_mailbox
from library.consultation.by_email.reading import Aside
from library.consultation.by_email.refusals import refuse_oversized
from library.consultation.channels import Inbound, Taken, set_aside, take_inbound
from library.models import ConsultationChannel
from library.uow import UnitOfWork
from runtime.counted import counted
from runtime.tasks import JobServices

log = logging.getLogger(__name__)


def consultation_desk(rt: JobServices) -> Desk:
    """Return what the mailbox job does with each email: the channels' core, with this runtime."""

    def take(uow: UnitOfWork, inbound: Inbound) -> Taken:
        return take_inbound(uow, inbound, rt.consultation_rules(), rt.now(), rt.consultation_post(), rt.store)

    def aside(uow: UnitOfWork, read: Aside) -> object:
        channel = ConsultationChannel.EMAIL
        return set_aside(uow, channel, read.external_id, read.sender, read.subject, read.note, rt.now())

    def refuse(uow: UnitOfWork, oversized: Oversized) -> object:
        return refuse_oversized(uow, oversized, rt.consultation_post().mailer, rt.now())

    return Desk(take=take, set_aside=aside, refuse=refuse)


def read_consultation_mailbox(rt: JobServices) -> MailboxRun | None:
    """Read the consultation mailbox once now; count and log the run (None: no mailbox is set)."""
    job = mailbox_job(rt.settings)
    if job is None:
        return None
    run = read_mailbox(job, rt.transaction, consultation_desk(rt), rt.now)
    figures = counted().mailbox
    for outcome, count in (
        ("taken", run.taken),
        ("set_aside", run.set_aside),
        ("refused", run.refused),
        ("failed", run.failed),
    ):
        figures.labels(outcome).inc(count)
    if run.trouble:
        counted().mailbox_troubles.inc()
    if run.taken or run.set_aside or run.refused or run.failed or run.trouble:
        log.info("Consultation mailbox read: %s.", run.summary())
    return run


@dataclass
class MailboxSchedule:
    """When this process last read the mailbox: at most one read at a time, one per interval."""

    last: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read_if_due(self, rt: JobServices) -> MailboxRun | None:
        """Read the mailbox when its interval has passed since this process's last read; else None."""
        if not rt.settings.consultation_imap_host:
            return None
        every = rt.settings.consultation_imap_every_seconds
        if not self.lock.acquire(blocking=False):
            return None  # a read is under way in another thread of this process
        try:
            if self.last is not None and time.monotonic() - self.last < every:
                return None
            self.last = time.monotonic()
            return read_consultation_mailbox(rt)
        finally:
            self.lock.release()

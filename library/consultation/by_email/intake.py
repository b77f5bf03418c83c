"""One run of the mailbox job: each unseen email read, kept in the database, and only then marked done.

The run signs in once, takes the oldest unseen emails (at most `batch`), and for each: an email
larger than the cap is refused by its headers alone (its body is never fetched); one that no
person wrote is set aside; any other is taken by the consultation desk (opens or joins a
consultation). Each email is its own transaction; the mailbox hears it was handled (\\Seen, moved)
only after the commit. An email whose handling fails stays unseen and is tried again next run;
one already kept (the same id) is a repeat and only marked done.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from library.consultation.by_email.mailbox import MailboxAccess, MailboxTrouble, open_mailbox
from library.consultation.by_email.reading import (
    Aside,
    from_address,
    message_id,
    parse_mail,
    read_mail,
    referred_ids,
    subject_of,
    why_aside,
)
from library.consultation.channels import Inbound, Taken
from library.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Oversized:
    """An email larger than the mailbox job takes: refused by its headers, its body never read."""

    external_id: str
    sender: str
    name: str
    subject: str
    size: int
    cap: int
    refers_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Desk:
    """What the run does with each email, in the open transaction (the consultation channels' core)."""

    take: Callable[[UnitOfWork, Inbound], Taken]  # opens or joins a consultation (a repeat: nothing)
    set_aside: Callable[[UnitOfWork, Aside], object]
    refuse: Callable[[UnitOfWork, Oversized], object]


@dataclass(frozen=True)
class MailboxJob:
    """Where the mail is and what the run may take of it."""

    access: MailboxAccess
    own_addresses: frozenset[str]  # mail from these is a loop: set aside
    max_bytes: int  # an email larger than this is refused unread
    batch: int = 20  # emails read at most in one run


@dataclass
class MailboxRun:
    """What one run did: emails taken, set aside, refused, failed, repeats; the trouble that stopped it."""

    taken: int = 0
    set_aside: int = 0
    refused: int = 0
    failed: int = 0
    repeated: int = 0  # kept before (a crash between the commit and marking them done): only marked now
    trouble: str = ""
    numbers: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Say the run in one log line."""
        said = f"{self.taken} taken, {self.set_aside} set aside, {self.refused} refused, {self.failed} failed"
        said += f", {self.repeated} already kept" if self.repeated else ""
        return f"{said}; {self.trouble}" if self.trouble else said


def read_mailbox(
    job: MailboxJob,
    transaction: Callable[[], AbstractContextManager[UnitOfWork]],
    desk: Desk,
    now: Callable[[], dt.datetime],
) -> MailboxRun:
    """Read the unseen mail once; never raise for the mailbox or one email (the run says what went wrong)."""
    run = MailboxRun()
    try:
        with open_mailbox(job.access) as mailbox:
            for uid in mailbox.unseen(job.batch):
                size = mailbox.size(uid)
                if size is None:
                    continue  # taken away meanwhile by another client
                raw = mailbox.head(uid) if size > job.max_bytes else mailbox.read(uid, job.max_bytes)
                if raw is None:
                    continue
                if _handled(job, transaction, desk, now(), raw, size, run):
                    mailbox.done(uid)
    except MailboxTrouble as trouble:
        run.trouble = str(trouble)
        log.warning("Consultation mailbox: %s", trouble)
    return run


def _handled(
    job: MailboxJob,
    transaction: Callable[[], AbstractContextManager[UnitOfWork]],
    desk: Desk,
    now: dt.datetime,
    raw: bytes,
    size: int,
    run: MailboxRun,
) -> bool:
    """Keep one email in its own transaction and count it; tell whether it may be marked done."""
    try:
        if size > job.max_bytes or len(raw) > job.max_bytes:
            read: Inbound | Aside | Oversized = _oversized(raw, size, job)
        else:
            read = read_mail(raw, job.own_addresses, now)
        if isinstance(read, Oversized):
            with transaction() as uow:
                desk.refuse(uow, read)
            run.refused += 1
            log.info(
                "Consultation mailbox: %s from %s refused: %s bytes.", read.external_id, read.sender, size
            )
            return True
        with transaction() as uow:
            if isinstance(read, Aside):
                desk.set_aside(uow, read)
            else:
                outcome = desk.take(uow, read)
        if isinstance(read, Aside):
            run.set_aside += 1
            log.info(
                "Consultation mailbox: %s from %s set aside: %s.", read.external_id, read.sender, read.note
            )
        else:
            _count_taken(run, outcome)
        return True
    except Exception:  # noqa: BLE001 - one email's failure must not stop the others; it stays unseen
        run.failed += 1
        log.exception("Consultation mailbox: an email could not be kept; it stays unread and is tried again.")
        return False


def _count_taken(run: MailboxRun, taken: Taken) -> None:
    """Count what the desk made of an email: a repeat, or taken (opened or joined), with its number."""
    if taken.repeated:
        run.repeated += 1
        return
    run.taken += 1
    if taken.number:
        run.numbers.append(taken.number)


def _oversized(raw: bytes, size: int, job: MailboxJob) -> Oversized | Aside:
    """Return what the headers of an email too large to read say about it (aside: no person sent it)."""
    mail = parse_mail(raw)
    name, sender = from_address(mail)
    external_id, subject = message_id(mail, raw), subject_of(mail)
    why = why_aside(mail, sender, job.own_addresses)
    if why:
        return Aside(external_id, sender, subject, why)
    return Oversized(external_id, sender, name, subject, size, job.max_bytes, referred_ids(mail))

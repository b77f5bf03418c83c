"""Consultations by email: the office's PST mailbox is a channel, read over IMAP and answered in thread.

A job reads the unseen mail (`intake`: `read_mailbox`), each email made an `Inbound` for
`library.consultation.channels.take_inbound` or set aside (automatic replies, bounces, bulk,
loops), its text without the quoted history and signature; an email is marked done only after its
commit. The desk's messages go out in the asker's own thread (`sending`: `EmailSender`). Both are
built from the settings here (`mailbox_job`, `email_sender`), for the runtime.
"""

from __future__ import annotations

import dataclasses
import email.utils

from library.consultation.by_email.intake import MailboxJob
from library.consultation.by_email.mailbox import MailboxAccess
from library.consultation.by_email.sending import EmailSender
from library.filestore import FileStore
from library.mail import Mailer
from library.settings import Settings

__all__ = [
    "EmailSender",
    "MailboxAccess",
    "MailboxJob",
    "consultation_address",
    "email_sender",
    "mailbox_job",
]


def consultation_address(settings: Settings) -> str:
    """Return the address consultations by email are answered from (PUSTAKA_MAIL_FROM when none is set)."""
    return settings.consultation_mail_address or settings.mail_from


def email_sender(settings: Settings, mailer: Mailer, store: FileStore) -> EmailSender:
    """Return the email channel's sender: the office's mailer, from the consultation address."""
    return EmailSender(dataclasses.replace(mailer, sender=consultation_address(settings)), store)


def mailbox_job(settings: Settings) -> MailboxJob | None:
    """Return the mailbox job the settings describe, or None when the mailbox is not read."""
    if not settings.consultation_imap_host:
        return None
    access = MailboxAccess(
        host=settings.consultation_imap_host,
        port=settings.consultation_imap_port,
        user=settings.consultation_imap_user,
        password=settings.consultation_imap_password,
        folder=settings.consultation_imap_folder,
        tls=settings.consultation_imap_tls,
        done_folder=settings.consultation_imap_done_folder,
    )
    named = (settings.mail_from, consultation_address(settings), settings.consultation_imap_user)
    own = frozenset(a for a in (email.utils.parseaddr(n)[1].lower() for n in named) if "@" in a)
    return MailboxJob(
        access,
        own,
        settings.consultation_imap_max_mb * 1024 * 1024,
        settings.consultation_imap_batch,
    )

"""`pustaka check`'s line about the consultation mailbox: signed in, the folder opened, as the job does."""

from __future__ import annotations

from cli.check_result import Check
from library.consultation.by_email import mailbox_job
from library.consultation.by_email.mailbox import MailboxTrouble, open_mailbox
from library.settings import Settings

NAME = "consultation mailbox"


def check_mailbox(settings: Settings) -> Check:
    """Sign in to the consultation mailbox and count its unread mail; say in words what stops it."""
    job = mailbox_job(settings)
    if job is None:
        return Check(NAME, True, "not read (PUSTAKA_CONSULTATION_IMAP_HOST is empty)")
    try:
        with open_mailbox(job.access) as mailbox:
            waiting = len(mailbox.unseen(10_000))
    except MailboxTrouble as trouble:
        return Check(
            NAME,
            False,
            str(trouble),
            "Fix what the line above names. Meanwhile no email is lost: it waits unread in the mailbox "
            "and is read once the mailbox can be reached.",
        )
    return Check(NAME, True, f"{job.access.where()} ({job.access.tls} TLS): {waiting} unread")

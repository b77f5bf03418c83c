"""The desk's messages out by email, in the asker's own thread; and the notice that an email was too large.

Each message leaves from the office's consultation address with a Message-ID of ours (made from
the consultation's number and the message's row, so a retry after a lost answer from the server
sends the same id and the asker's mail program shows it once), `In-Reply-To` the asker's last
email and `References` the thread's ids, and the subject "Re: <topic> [KS-…]": the number in the
subject is how a reply from a mail program that drops the headers still finds its consultation.

A consultant's answer is sent as they wrote it, with the files they attached (the asker has no
page to fetch them from) and a line in both languages on how to reply; it carries no
`Auto-Submitted`, so the asker's mail program treats it as a person's. An automatic notice (no
author) is marked `Auto-Submitted`, so that no vacation program answers it: "auto-replied" when
it answers the asker's message (the acknowledgement), "auto-generated" otherwise (a reminder,
the close with the survey link).

An SMTP server that is away or answers "try later" (4xx) is `GatewayAway` (the core tries again);
one that refuses the recipient, or the message for good (5xx after DATA), is `GatewayRefused`. A
refused sign-in or sender is the office's setting to fix: away, tried again.
"""

from __future__ import annotations

import dataclasses
import email.utils
import re
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass

from library.consultation.attachments import download_name
from library.filestore import FileStore
from library.mail import SIGNATURE, FileAttachment, Mailer, Message
from library.messaging.gateways import GatewayAway, GatewayRefused
from library.models import Consultation, ConsultationChannel, ConsultationMessage

MAX_REFERENCES = 10  # the first id of the thread and the newest: what mail programs need to thread
_PREFIXES = re.compile(r"^\s*((re|aw|fwd?|bls|balas|tr)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_TAG = re.compile(r"\s*\[?KS-\d{8}-\d+\]?", re.IGNORECASE)


@dataclass(frozen=True)
class EmailSender:
    """The OutsideSender of the email channel: one queued desk message to the asker's address."""

    mailer: Mailer  # sends from the office's consultation address
    store: FileStore | None = None  # where the files a consultant attached are read from
    domain: str = ""  # of our Message-IDs; "": the sender address's

    def __call__(
        self, row: Consultation, message: ConsultationMessage, thread: Sequence[ConsultationMessage]
    ) -> str:
        """Send the message in the asker's thread; return its Message-ID (or raise GatewayAway, -Refused)."""
        mail = threaded_message(row, message, thread, self.our_id(row, message))
        mail = dataclasses.replace(mail, attachments=self.files_of(row, message))
        try:
            self.mailer.send(mail)
        except smtplib.SMTPRecipientsRefused as error:
            raise GatewayRefused(f"{row.contact} refused: {_said(error.recipients)}") from None
        except smtplib.SMTPDataError as error:  # the message itself: refused for good (5xx) or for now
            said = f"{error.smtp_code} {_text(error.smtp_error)}"
            raise (GatewayRefused if 500 <= error.smtp_code < 600 else GatewayAway)(said) from None
        except (smtplib.SMTPException, OSError) as error:
            raise GatewayAway(f"{type(error).__name__}: {error}") from None
        return mail.message_id

    def files_of(self, row: Consultation, message: ConsultationMessage) -> tuple[FileAttachment, ...]:
        """Return the files attached to the message, read from the store (the asker has no page for them)."""
        if self.store is None:
            return ()
        return tuple(
            FileAttachment(
                download_name(a.original_name, a.media_type), a.media_type, self.store.read_bytes(a.sha256)
            )
            for a in row.attachments
            if a.message_id == message.id
        )

    def our_id(self, row: Consultation, message: ConsultationMessage) -> str:
        """Return the Message-ID of one desk message: the same on every try."""
        domain = self.domain or email.utils.parseaddr(self.mailer.sender)[1].rpartition("@")[2] or "localhost"
        return f"<{row.number.lower()}.{message.id}.pustaka@{domain}>"


def threaded_message(
    row: Consultation, message: ConsultationMessage, thread: Sequence[ConsultationMessage], our_id: str
) -> Message:
    """Return the email of a desk message, answering the asker's last email of the thread."""
    ids = [m.external_id for m in thread if m.external_id and m.channel == ConsultationChannel.EMAIL.value]
    theirs = [
        m.external_id
        for m in thread
        if m.external_id and not m.from_staff and m.channel == ConsultationChannel.EMAIL.value
    ]
    references = tuple(dict.fromkeys(ids[:1] + ids[-(MAX_REFERENCES - 1) :]))
    automatic = message.author_id is None
    return Message(
        to=email.utils.formataddr((row.contact_name, row.contact)) if row.contact_name else row.contact,
        subject=reply_subject(row.topic, row.number),
        text=message.body.strip() + ("\n\n-- \n" + SIGNATURE if automatic else how_to_reply(row.number)),
        message_id=our_id,
        in_reply_to=theirs[-1] if theirs else "",
        references=references,
        auto_submitted=_automatic_kind(message, thread) if automatic else "",
    )


def _automatic_kind(message: ConsultationMessage, thread: Sequence[ConsultationMessage]) -> str:
    """Return "auto-replied" for a notice answering the asker's message (received), else "auto-generated"."""
    earlier = [m for m in thread if m.id is not None and message.id is not None and m.id < message.id]
    return "auto-replied" if earlier and not earlier[-1].from_staff else "auto-generated"


def reply_subject(topic: str, number: str) -> str:
    """Return "Re: <topic> [KS-…]": their subject without its Re:/Fwd: and any number tag, then ours."""
    bare = _TAG.sub("", _PREFIXES.sub("", topic)).strip() or "Konsultasi"
    return f"Re: {bare} [{number}]"


def how_to_reply(number: str) -> str:
    """Return the end of a consultant's email: how to continue, in Indonesian then English."""
    return (
        "\n\n---\n"
        f"Balas email ini untuk melanjutkan konsultasi {number}; biarkan [{number}] di subjek.\n"
        f"Reply to this email to continue consultation {number}; keep [{number}] in the subject.\n"
        f"\n-- \n{SIGNATURE}\n"
    )


def _said(recipients: dict) -> str:
    """Return what the server said about each refused recipient."""
    return "; ".join(f"{code} {_text(answer)}" for code, answer in recipients.values())


def _text(said: bytes | str) -> str:
    """Return a server's answer as text."""
    return said.decode("utf-8", "replace") if isinstance(said, bytes) else said

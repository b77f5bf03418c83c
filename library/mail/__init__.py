"""Email: a message value, the calendar files it may carry, and the two ways it leaves (an outbox or SMTP).

Use cases never send during a transaction: `send_after_commit` queues a message on the unit
of work, so a rolled-back change sends nothing, and a failed send (server down, disk full) is
logged instead of undoing the change it reports. The person can then ask for the mail again.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import os
import secrets
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from library.settings import Settings
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
SMTP_TIMEOUT_SECONDS = 20
IMPLICIT_TLS_PORT = 465
SIGNATURE = "Pustaka · Pelayanan Statistik Terpadu (PST) BPS"
_DIVIDER = "\n\n— English —\n\n"


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an email, such as an appointment's iCalendar file."""

    filename: str
    subtype: str  # of text/*: "calendar"
    text: str


@dataclass(frozen=True)
class FileAttachment:
    """A file sent with an email as it is stored (a consultant's table, a PDF), in base64."""

    filename: str
    media_type: str  # "application/pdf"
    data: bytes


@dataclass(frozen=True)
class Message:
    """One plain-text email to one address, with any text attachments."""

    to: str
    subject: str
    text: str
    attachments: tuple[Attachment | FileAttachment, ...] = ()
    # Threading, for a conversation by email: the id chosen for this message ("": one is made),
    # the message it answers and the thread's earlier ids (RFC 5322 In-Reply-To, References).
    message_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    # RFC 3834: "auto-generated" (a notice: no vacation replies to it), "auto-replied" (an automatic
    # answer to a message), "" for a person's own answer (which may be answered like any mail).
    auto_submitted: str = "auto-generated"

    def to_email(self, sender: str, now: dt.datetime) -> EmailMessage:
        """Return the message as an RFC 5322 email from the sender."""
        mail = EmailMessage()
        mail["From"] = sender
        mail["To"] = self.to
        mail["Subject"] = self.subject
        mail["Date"] = email.utils.format_datetime(now)
        domain = email.utils.parseaddr(sender)[1].rpartition("@")[2] or "localhost"
        mail["Message-ID"] = self.message_id or email.utils.make_msgid(domain=domain)
        if self.in_reply_to:
            mail["In-Reply-To"] = self.in_reply_to
        if self.references:
            mail["References"] = " ".join(self.references)
        if self.auto_submitted:
            mail["Auto-Submitted"] = self.auto_submitted
        mail.set_content(self.text)
        for attached in self.attachments:
            if isinstance(attached, FileAttachment):
                maintype, _, subtype = attached.media_type.partition("/")
                mail.add_attachment(
                    attached.data,
                    maintype=maintype,
                    subtype=subtype or "octet-stream",
                    filename=attached.filename,
                )
                continue
            # As bytes, in base64: the file keeps its own line ends (iCalendar's are CRLF).
            mail.add_attachment(
                attached.text.encode("utf-8"),
                maintype="text",
                subtype=attached.subtype,
                filename=attached.filename,
                params={"charset": "utf-8"},
            )
        return mail


class MailBackend(Protocol):
    """Something that sends an email or raises."""

    def send(self, mail: EmailMessage) -> None:
        """Send the email; raise OSError or smtplib.SMTPException when it cannot."""


@dataclass(frozen=True)
class OutboxBackend:
    """Write each email as a .eml file into a folder (development, tests, or a relay that collects them)."""

    folder: Path

    def send(self, mail: EmailMessage) -> None:
        """Write the email atomically: a reader of the folder never sees half a file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}-{secrets.token_hex(4)}.eml"
        tmp = self.folder / f".{name}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(mail.as_bytes())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.folder / name)


@dataclass(frozen=True)
class SmtpBackend:
    """Hand each email to an SMTP server, with STARTTLS and login when configured."""

    host: str
    port: int
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = False
    implicit_tls: bool = False  # TLS from the first byte ("SMTPS", port 465)
    ssl_context: ssl.SSLContext | None = None  # None: the system's trusted certificates

    def send(self, mail: EmailMessage) -> None:
        """Open a connection, send the one email and close it."""
        with self._connected() as client:
            client.send_message(mail)

    def probe(self, sender: str) -> None:
        """Connect, start TLS, sign in and offer a message from `sender` as a sending would, then take
        it back (RSET) before anything is sent; raise if the server refuses a step."""
        with self._connected() as client:
            client.ehlo_or_helo_if_needed()
            code, answer = client.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, answer, sender)
            client.rset()

    def _connected(self) -> smtplib.SMTP:
        """Return a client connected (TLS and login done) to the server."""
        context = self.ssl_context or ssl.create_default_context()
        if self.implicit_tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS, context=context
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS)
        try:
            if self.starttls and not self.implicit_tls:
                client.starttls(context=context)
            if self.user:
                client.login(self.user, self.password)
        except BaseException:
            client.close()
            raise
        return client


@dataclass(frozen=True)
class Mailer:
    """Sends messages from the office's address through one backend."""

    backend: MailBackend
    sender: str

    def send(self, message: Message, now: dt.datetime | None = None) -> None:
        """Send the message now; raise when the backend cannot."""
        self.backend.send(message.to_email(self.sender, now or dt.datetime.now(dt.UTC)))

    def send_after_commit(self, uow: UnitOfWork, message: Message) -> Sending:
        """Send the message once the unit of work commits; report the outcome in the returned Sending."""
        sending = Sending(message.to, message.subject)
        uow.after_commit(lambda: self._deliver(message, sending))
        return sending

    def _deliver(self, message: Message, sending: Sending) -> None:
        """Send, recording (never raising) a failure: the committed change must stand."""
        try:
            self.send(message)
        except Exception:  # any failure of any backend: the change is committed already
            log.exception("Could not send '%s' to %s", message.subject, message.to)
            sending.failed = True
        else:
            sending.sent = True


@dataclass
class Sending:
    """What became of one message queued for after the commit."""

    to: str
    subject: str
    sent: bool = False
    failed: bool = False


def make_mailer(settings: Settings) -> Mailer:
    """Return the mailer the settings describe."""
    backend: MailBackend
    if settings.mail_backend == "smtp":
        backend = SmtpBackend(
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            implicit_tls=settings.smtp_port == IMPLICIT_TLS_PORT,
        )
    else:
        backend = OutboxBackend(outbox_path(settings))
    return Mailer(backend=backend, sender=settings.mail_from)


def prune_outbox(
    folder: Path, now: dt.datetime, keep: dt.timedelta, *, dry_run: bool = False
) -> tuple[int, int]:
    """Delete (unless `dry_run`) the outbox's emails older than `keep`; return how many, and their bytes."""
    count = size = 0
    if not folder.is_dir():
        return 0, 0
    oldest = (now - keep).timestamp()
    for path in folder.glob("*.eml"):
        try:
            found = path.stat()
            if found.st_mtime >= oldest:
                continue
            if not dry_run:
                path.unlink()
        except FileNotFoundError:
            continue  # taken by another process's housekeeping
        count, size = count + 1, size + found.st_size
    return count, size


def outbox_path(settings: Settings) -> Path:
    """Return the folder the outbox backend writes to."""
    return settings.instance_path / "outbox"


def bilingual(to: str, subject_id: str, subject_en: str, text_id: str, text_en: str) -> Message:
    """Join the two languages into one message."""
    return Message(
        to=to,
        subject=f"{subject_id} · {subject_en}",
        text=f"{text_id.strip()}{_DIVIDER}{text_en.strip()}\n\n-- \n{SIGNATURE}\n",
    )


__all__ = [
    "Attachment",
    "FileAttachment",
    "Mailer",
    "Message",
    "OutboxBackend",
    "SIGNATURE",
    "SmtpBackend",
    "bilingual",
    "make_mailer",
    "outbox_path",
    "prune_outbox",
]

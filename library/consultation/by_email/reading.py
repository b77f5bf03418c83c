"""One email read from the office's mailbox: what it asks (an `Inbound`), or why it is set aside unanswered.

Mail that no person wrote to the office is never answered, or two robots would write to each
other for ever: automatic replies (RFC 3834 `Auto-Submitted` other than "no", vacation notices
and Exchange's `X-Auto-Response-Suppress`), bulk and list mail (`Precedence: bulk/junk/list`,
`List-Id`, `List-Unsubscribe`), delivery reports and bounces (`multipart/report`, an empty
Return-Path, MAILER-DAEMON or postmaster as sender) and mail from the office's own address
(a loop). Such mail is `Aside`, with the reason in words.

Everything else is an `Inbound`: the sender (From, lower-cased), the subject, the ids it
answers (In-Reply-To and References), when it was sent, what it says (`bodies`) and its attached
files. An email without a Message-ID gets one made from a hash of its bytes, the same every time
the same email is read, so reading it twice keeps it once.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage, Message

from library.consultation.by_email.bodies import body_text, part_text
from library.consultation.channels import Inbound, InboundFile
from library.models import ConsultationChannel
from library.text import clean_text

MAX_SUBJECT = 200
MAX_REFERENCES = 30  # the newest ids a reply names: enough to find the thread
MAX_FILES_READ = 10  # attached parts read at most (the limits on files are checked when they are kept)
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
_ROBOTS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon")
_BULK = ("bulk", "junk", "list")


@dataclass(frozen=True)
class Aside:
    """An email set aside unanswered: its id, sender, subject and why."""

    external_id: str
    sender: str
    subject: str
    note: str


def parse_mail(raw: bytes) -> EmailMessage:
    """Return the email the bytes hold (never raising: defects are the parser's notes)."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)  # the default policy makes EmailMessage
    return parsed


def read_mail(raw: bytes, own_addresses: frozenset[str], now: dt.datetime) -> Inbound | Aside:
    """Return what the email's bytes ask of the office, or why they are set aside."""
    mail = parse_mail(raw)
    external_id = message_id(mail, raw)
    name, sender = from_address(mail)
    subject = subject_of(mail)
    why = why_aside(mail, sender, own_addresses)
    if why:
        return Aside(external_id, sender, subject, why)
    return Inbound(
        channel=ConsultationChannel.EMAIL,
        external_id=external_id,
        sender=sender,
        name=name,
        text=body_text(mail),
        at=sent_at(mail, now),
        subject=subject,
        refers_to=referred_ids(mail),
        files=attached_files(mail),
    )


def message_id(mail: Message, raw: bytes) -> str:
    """Return the email's Message-ID with its angle brackets, or a stable one made from its bytes."""
    found = _MESSAGE_ID.search(_header(mail, "Message-ID"))
    if found:
        return found.group(0)
    return f"<{hashlib.sha256(raw).hexdigest()[:40]}@message-id.pustaka.invalid>"


def from_address(mail: Message) -> tuple[str, str]:
    """Return the sender's display name and address (lower-cased; "" when the From line names none)."""
    try:
        first = mail["From"].addresses[0]  # type: ignore[union-attr]  # the parsed header: an encoded name with a comma stays whole
        name, address = first.display_name, first.addr_spec
    except (AttributeError, IndexError, TypeError, ValueError):
        name, address = email.utils.parseaddr(_header(mail, "From"))
    address = address.strip().lower()
    if "@" not in address or any(c.isspace() for c in address):
        return clean_text(name)[:200], ""
    return clean_text(name)[:200], address[:320]


def subject_of(mail: Message) -> str:
    """Return the subject on one line, shortened."""
    return " ".join(clean_text(_header(mail, "Subject")).split())[:MAX_SUBJECT]


def referred_ids(mail: Message) -> tuple[str, ...]:
    """Return the ids the email answers: In-Reply-To first, then the References newest first, once each."""
    replying = _MESSAGE_ID.findall(_header(mail, "In-Reply-To"))
    references = _MESSAGE_ID.findall(_header(mail, "References"))
    ordered = [*replying, *reversed(references)]
    return tuple(dict.fromkeys(ordered))[:MAX_REFERENCES]


def sent_at(mail: Message, now: dt.datetime) -> dt.datetime:
    """Return when the email says it was sent (UTC), or now when it says nothing believable."""
    try:
        sent = email.utils.parsedate_to_datetime(_header(mail, "Date"))
    except (TypeError, ValueError, IndexError):
        return now
    if sent is None or sent.tzinfo is None:
        return now
    sent = sent.astimezone(dt.UTC)
    return now if sent > now + dt.timedelta(hours=1) or sent.year < 2000 else sent


def why_aside(mail: Message, sender: str, own_addresses: frozenset[str]) -> str:
    """Return why no person awaits an answer to this email, or "" when one may."""
    auto = _header(mail, "Auto-Submitted").split(";")[0].strip().lower()
    if auto and auto != "no":
        return f"automatic message (Auto-Submitted: {auto[:40]})"
    if (
        _header(mail, "X-Auto-Response-Suppress")
        or _header(mail, "X-Autoreply")
        or _header(mail, "X-Autorespond")
    ):
        return "automatic reply (X-Auto-Response-Suppress / X-Autoreply)"
    precedence = _header(mail, "Precedence").strip().lower()
    if precedence in _BULK:
        return f"bulk mail (Precedence: {precedence})"
    if _header(mail, "List-Id") or _header(mail, "List-Unsubscribe"):
        return "mailing-list mail (List-Id / List-Unsubscribe)"
    if mail.get_content_type() == "multipart/report":
        kind = str(mail.get_param("report-type") or "report")
        return f"delivery or read report (multipart/report; report-type={kind[:40]})"
    if _header(mail, "Return-Path").strip() in ("<>", "") and "Return-Path" in mail:
        return "bounce (empty Return-Path)"
    if not sender:
        return "no sender address in From"
    if sender.split("@")[0] in _ROBOTS:
        return f"bounce (from {sender})"
    if sender in own_addresses:
        return "sent from the office's own address (a loop)"
    return ""


def attached_files(mail: EmailMessage) -> tuple[InboundFile, ...]:
    """Return the files attached to the email (not the body, nor pictures inside an HTML body)."""
    files: list[InboundFile] = []
    for part in _attachments(mail):
        if len(files) >= MAX_FILES_READ:
            break
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else part_text(part).encode("utf-8")
        try:
            name = part.get_filename() or ""
        except (ValueError, LookupError):
            name = ""
        files.append(InboundFile(clean_text(name)[:200] or "lampiran", part.get_content_type(), data))
    return tuple(files)


def _attachments(mail: EmailMessage) -> list[EmailMessage]:
    """Return the attached parts, looking inside a nested multipart/mixed."""
    found: list[EmailMessage] = []
    if not mail.is_multipart():
        return found
    for part in mail.iter_attachments():
        if not isinstance(part, EmailMessage):
            continue
        if part.get_content_type() == "multipart/mixed":
            found.extend(_attachments(part))
        elif not part.is_multipart():
            found.append(part)
    return found


def _header(mail: Message, name: str) -> str:
    """Return a header's value as text ("" when absent or unreadable: a broken header is no answer)."""
    try:
        value = mail.get(name)
    except (ValueError, IndexError, TypeError, AttributeError):
        return ""
    return str(value) if value is not None else ""

"""Filing a complaint: from the public form, or entered by staff from the box, an email or WhatsApp.

Every problem with the form is reported at once. The person gets a tracking code: "PGD-"
and twelve characters drawn at random from 32 that cannot be mistaken for one another (no
0/O, no 1/I), 60 bits. The code is the only key of the public status page and of the
attachments, so it is long enough that guessing one is hopeless (with a few hundred
complaints stored, about one chance in 10^15 per guess), yet short enough to read out over
the phone or copy from a printed slip. One code, not a number plus a secret: a person who
lost the email can still type what is written on their slip.

The public form is protected without a third-party service: a hidden field people never
fill in (a program filling in every field is refused, and counted), and a limit of
complaints per client address (`COMPLAINT` in the rate limits), counted atomically.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select

from library.accounts.ratelimit import COMPLAINT, Throttle
from library.accounts.users import check_text_field, clean_email
from library.errors import InvalidField, InvalidFields, InvalidInput, NotFound, PustakaError
from library.filestore import FileStore
from library.i18n import N_
from library.models import (
    Complaint,
    ComplaintAction,
    ComplaintAttachment,
    ComplaintService,
    ComplaintSource,
    ComplaintStatus,
    Office,
    User,
)
from library.permissions import Actor, is_person, require_complaint_staff
from library.quality.complaints.mail import ComplaintMailQueue, queue_complaint_mail
from library.text import clean_text
from library.uow import UnitOfWork

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12
CODE_PREFIX = "PGD"
# The target the reports hold answers to. No service standard in the seeds names a time for
# answering complaints, so five working days, a common target of public complaint desks.
ANSWER_WORKING_DAYS = 5
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# Accepted by what the file is, read from its first bytes, never by the name or type sent.
ATTACHMENT_TYPES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
MAX_SUBJECT = 200
MAX_BODY = 4000
MIN_BODY = 20
MAX_PHONE = 30
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]{5,28}")
NOT_TAKEN = N_("Your complaint could not be accepted. Please check your answers and send it again.")


@dataclass(frozen=True)
class ComplaintDetails:
    """What the complaint form sends, as typed."""

    name: str = ""
    email: str = ""
    phone: str = ""
    service: str = ""
    subject: str = ""
    body: str = ""
    source: str = ComplaintSource.WEB.value
    honeypot: str = ""  # a field hidden from people: only a program fills it in


@dataclass(frozen=True)
class Upload:
    """One file sent with a complaint: the name it had and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ComplaintGuard:
    """What holds back a flood on the public form: the rate limits and the client's address."""

    throttle: Throttle
    client: str


def check_file_complaint(
    uow: UnitOfWork,
    actor: Actor | None,
    form: ComplaintDetails,
    uploads: Sequence[Upload],
    *,
    store: FileStore,
    office_code: str,
    now: dt.datetime,
    guard: ComplaintGuard | None = None,
    mail: ComplaintMailQueue | None = None,
) -> str:
    """Check the complaint (every problem at once), keep it and its files, and return its tracking code.

    A complaint from the web form needs the guard (anyone may send it); one from the box,
    an email or WhatsApp is entered by staff.
    """
    source = _source(form.source)
    staff = _check_channel(uow, actor, form, source, guard, now)
    clean, problems = _checked(form, source)
    files, file_problems = check_uploads(uploads)
    problems.extend(file_problems)
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidFields(problems)
    office_id = _office_id(uow, office_code)
    if guard is not None:
        guard.throttle.take(uow, COMPLAINT, client=guard.client, now=now)  # refused: TooManyAttempts
    row = Complaint(
        code=new_code(),
        office_id=office_id,
        source=source.value,
        service=clean.service,
        name=clean.name,
        email=clean.email,
        phone=clean.phone,
        subject=clean.subject,
        body=clean.body,
        status=ComplaintStatus.NEW.value,
        user_id=actor.id if staff is None and is_person(actor) else None,
        entered_by_id=staff.id if staff is not None else None,
        received_at=now,
    )
    _attach(row, store, files)
    event = row.record(ComplaintAction.FILED, now, staff.id if staff is not None else None)
    uow.session.add(row)
    uow.session.flush()
    if mail is not None and row.email:
        queue_complaint_mail(uow, mail, event.id)
    return row.code


def _check_channel(
    uow: UnitOfWork,
    actor: Actor | None,
    form: ComplaintDetails,
    source: ComplaintSource,
    guard: ComplaintGuard | None,
    now: dt.datetime,
) -> User | None:
    """Return the staff member entering a complaint (None: the public form); refuse a program's form."""
    staff = require_complaint_staff(uow, actor) if source is not ComplaintSource.WEB else None
    if staff is None and guard is None:  # the web form's channel named on the staff's form
        raise InvalidField("source", N_("Choose how the complaint was received."))
    if guard is not None and form.honeypot.strip():
        guard.throttle.take(uow, COMPLAINT, client=guard.client, now=now)  # counted, and refused
        raise InvalidInput(NOT_TAKEN)
    return staff


def _office_id(uow: UnitOfWork, office_code: str) -> int:
    """Return the id of the office the complaint is filed with; refuse when it is not set up yet."""
    office_id = uow.session.scalar(select(Office.id).where(Office.code == office_code))
    if office_id is None:
        raise InvalidInput(N_("Complaints are not open yet at this office; please contact the PST staff."))
    return office_id


def _attach(row: Complaint, store: FileStore, files: list[tuple[Upload, str]]) -> None:
    """Keep each accepted file in the store and attach it to the complaint, in the order sent."""
    for position, (upload, media_type) in enumerate(files, start=1):
        stored = store.put_bytes(upload.data)
        row.attachments.append(
            ComplaintAttachment(
                position=position,
                sha256=stored.sha256,
                media_type=media_type,
                size_bytes=stored.size,
                original_name=upload.name[:255],
            )
        )


def new_code() -> str:
    """Return a fresh tracking code: PGD-XXXX-XXXX-XXXX."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join([CODE_PREFIX, chars[:4], chars[4:8], chars[8:]])


def normal_code(text: str) -> str | None:
    """Return a tracking code as stored, from what a person typed (any case, spaces, dashes); None if none."""
    chars = re.sub(r"[^A-Z0-9]", "", (text or "")[:64].upper())
    chars = chars.removeprefix(CODE_PREFIX)
    if len(chars) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in chars):
        return None
    return "-".join([CODE_PREFIX, chars[:4], chars[4:8], chars[8:]])


def find_complaint(uow: UnitOfWork, code: str, *, lock: bool = False) -> Complaint:
    """Return the complaint with this tracking code; to a wrong code nothing else is said."""
    normal = normal_code(code)
    row = None
    if normal is not None:
        query = select(Complaint).where(Complaint.code == normal)
        row = uow.session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound(N_("There is no complaint with this tracking code. Check the code and try again."))
    return row


def check_uploads(uploads: Sequence[Upload]) -> tuple[list[tuple[Upload, str]], list[PustakaError]]:
    """Return the files with the type each is, and a problem for each one refused (and for too many)."""
    sent = [u for u in uploads if u.data or u.name]
    problems: list[PustakaError] = []
    if len(sent) > MAX_ATTACHMENTS:
        problems.append(InvalidField("attachments", N_("Attach at most %(n)s files."), n=MAX_ATTACHMENTS))
    files = []
    for upload in sent[:MAX_ATTACHMENTS]:
        name = clean_text(upload.name)[:255] or "berkas"
        if len(upload.data) > MAX_ATTACHMENT_BYTES:
            problems.append(
                InvalidField(
                    "attachments",
                    N_("%(name)s is larger than %(mb)s MB."),
                    name=name,
                    mb=MAX_ATTACHMENT_BYTES // (1024 * 1024),
                )
            )
            continue
        media_type = attachment_type(upload.data)
        if media_type is None:
            problems.append(
                InvalidField("attachments", N_("%(name)s is not a PDF, JPEG or PNG file."), name=name)
            )
            continue
        files.append((replace(upload, name=name), media_type))
    return files, problems


def attachment_type(data: bytes) -> str | None:
    """Return the media type of an accepted file from its first bytes, or None."""
    return next((kind for magic, kind in ATTACHMENT_TYPES.items() if data.startswith(magic)), None)


def clean_element(code: str) -> str | None:
    """Return an SKM element's code ("" for none chosen: None), or refuse one that is not an element."""
    code = (code or "").strip().upper()
    if not code:
        return None
    if code not in {f"U{n}" for n in range(1, 10)}:
        raise InvalidField("element", N_("Choose an element from the list."))
    return code


def clean_service(value: str) -> str:
    """Return a complaint's service, or refuse one that is not in the list."""
    if value not in {s.value for s in ComplaintService}:
        raise InvalidField("service", N_("Choose the service your complaint is about."))
    return value


def _source(value: str) -> ComplaintSource:
    """Return where a complaint came from, or refuse a channel that is not in the list."""
    try:
        return ComplaintSource(value)
    except ValueError:
        raise InvalidField("source", N_("Choose how the complaint was received.")) from None


def _checked(form: ComplaintDetails, source: ComplaintSource) -> tuple[ComplaintDetails, list[PustakaError]]:
    """Return the form tidied and every problem with it, in the form's order."""
    problems: list[PustakaError] = []
    values = {}

    def keep(name: str, check: Callable[[str], str]) -> None:
        try:
            values[name] = check(getattr(form, name))
        except InvalidField as exc:
            problems.append(exc)

    keep("name", lambda v: check_text_field(v, "name", N_("Write your name.")))
    # The web form answers by email; a note from the box may have only a phone number, or nothing.
    if source is ComplaintSource.WEB or (form.email or "").strip():
        keep("email", clean_email)
    keep("phone", _clean_phone)
    keep("service", clean_service)
    keep(
        "subject",
        lambda v: check_text_field(v, "subject", N_("Write what your complaint is about."), MAX_SUBJECT),
    )
    keep("body", _clean_body)
    return replace(form, **values), problems


def _clean_phone(phone: str) -> str:
    """Return the phone number tidied ("" for none), or refuse one that is not a number."""
    phone = " ".join((phone or "").split())
    if phone and (len(phone) > MAX_PHONE or not _PHONE.fullmatch(phone)):
        raise InvalidField(
            "phone", N_("Write the phone number with digits only, for example 0812 3456 7890.")
        )
    return phone


def _clean_body(body: str) -> str:
    """Return the complaint's text tidied, or refuse an empty, too short or too long one."""
    text = clean_text(body)
    if not text:
        raise InvalidField("body", N_("Describe your complaint."))
    if len(text) < MIN_BODY:
        raise InvalidField("body", N_("Describe your complaint in at least %(n)s characters."), n=MIN_BODY)
    if len(text) > MAX_BODY:
        raise InvalidField("body", N_("Write at most %(n)s characters."), n=MAX_BODY)
    return text

"""The complaint staff's alert: a complaint came in through the web form and waits to be taken up.

Sent by a job after the complaint is committed, to every active member of the front office,
the office head and administrators (who handle complaints); to the office's own address when
nobody holds those roles. The answer is due `ANSWER_WORKING_DAYS` working days after receipt,
as the desk's clock and the report count it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import select

from library.accounts.users import staff_addresses
from library.clock import moment_in_both, office_zone
from library.mail import Mailer, Message, bilingual
from library.models import Complaint, ComplaintStatus, Office, Role
from library.quality.complaints.records import ANSWER_WORKING_DAYS
from library.uow import UnitOfWork
from library.working_days import Calendar

log = logging.getLogger(__name__)
HANDLERS = (Role.FRONT_OFFICE, Role.OFFICE_HEAD)  # with administrators: who may take a complaint up


def alert_complaint_staff(
    uow: UnitOfWork, mailer: Mailer, code: str, desk_page: Callable[[str], str], calendar: Calendar
) -> int:
    """Email the complaint staff that a complaint waits for them; return how many were emailed."""
    row = uow.session.scalar(select(Complaint).where(Complaint.code == code))
    if row is None or row.status != ComplaintStatus.NEW.value:
        return 0  # taken up (or gone) before the alert left
    office = uow.session.get_one(Office, row.office_id)
    addresses = staff_addresses(uow, HANDLERS) or ([office.email] if office.email else [])
    if not addresses:
        log.warning("Complaint %s waits, but nobody handles complaints and the office has no email.", code)
        return 0
    due = calendar.add_working_days(row.received_at, ANSWER_WORKING_DAYS)
    for address in addresses:
        mailer.send_after_commit(uow, new_complaint(address, row, desk_page(code), due, office.timezone))
    return len(addresses)


def new_complaint(to: str, row: Complaint, link: str, due: dt.datetime, timezone: str) -> Message:
    """Tell the complaint staff a complaint arrived: what about, from whom, and the answer's deadline."""
    zone = office_zone(timezone)
    received, by = moment_in_both(row.received_at, zone), moment_in_both(due, zone)
    return bilingual(
        to,
        f"Pengaduan baru {row.code}: {row.subject}",
        f"New complaint {row.code}: {row.subject}",
        f"""
Pengaduan "{row.subject}" dari {row.name or "(tanpa nama)"} masuk pada {received.indonesian}.

Jawaban paling lambat {by.indonesian} ({ANSWER_WORKING_DAYS} hari kerja). Tangani di:
{link}
""",
        f"""
The complaint "{row.subject}" from {row.name or "(anonymous)"} came in on {received.english}.

It must be answered by {by.english} ({ANSWER_WORKING_DAYS} working days). Take it up at:
{link}
""",
    )

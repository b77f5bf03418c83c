"""The consultants' alert: a new consultation arrived and waits to be read and taken up.

Sent by a job after the consultation is committed, to every active consultant (and
administrator); to the office's own address when the office has no consultant yet. The
3-working-day clock starts once a consultant marks the question clear and complete, so a
consultation nobody opens is a promise at risk: the alert is how the desk learns of it.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from library.accounts.users import staff_addresses
from library.clock import moment_in_both, office_zone
from library.consultation.rules import ConsultationPost
from library.mail import Message, bilingual
from library.models import Consultation, ConsultationStatus, Office, Role, User
from library.uow import UnitOfWork

log = logging.getLogger(__name__)


def alert_consultants(uow: UnitOfWork, post: ConsultationPost, number: str) -> int:
    """Email the consultants that a consultation waits for them; return how many were emailed.

    The emails leave when the unit of work commits. Nothing is sent for one a consultant has
    taken up meanwhile.
    """
    row = uow.session.scalar(select(Consultation).where(Consultation.number == number))
    if row is None or row.status != ConsultationStatus.NEW.value or row.consultant_id is not None:
        return 0
    office = uow.session.get_one(Office, row.office_id)
    addresses = staff_addresses(uow, [Role.CONSULTANT]) or ([office.email] if office.email else [])
    if not addresses:
        log.warning(
            "Consultation %s waits, but no active account is a consultant and the office has no email.",
            number,
        )
        return 0
    asker = uow.session.get_one(User, row.user_id).name if row.user_id is not None else row.contact_name
    asker = f"{asker or row.contact} ({row.channel})" if row.user_id is None else asker
    for address in addresses:
        post.mailer.send_after_commit(
            uow, new_consultation(address, row, asker, post.desk_page(row.number), office.timezone)
        )
    return len(addresses)


def new_consultation(to: str, row: Consultation, asker: str, link: str, timezone: str) -> Message:
    """Tell a consultant a consultation arrived: who asks about what, since when, and where to take it up."""
    sent = moment_in_both(row.opened_at, office_zone(timezone))
    return bilingual(
        to,
        f"Konsultasi baru {row.number}: {row.topic}",
        f"New consultation {row.number}: {row.topic}",
        f"""
{asker} mengirim konsultasi "{row.topic}" ({row.number}) pada {sent.indonesian}.

Data yang dicari: {row.data_subject}; wilayah {row.data_region}; periode {row.data_period}.

Baca, tetapkan konsultan, dan tandai jelas dan lengkap: sejak itu target 3 hari kerja berjalan.
{link}
""",
        f"""
{asker} sent the consultation "{row.topic}" ({row.number}) on {sent.english}.

Data wanted: {row.data_subject}; region {row.data_region}; period {row.data_period}.

Read it, assign a consultant and mark it clear and complete: the 3-working-day target runs from then.
{link}
""",
    )

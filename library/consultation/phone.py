"""The asker of an online consultation told on their phone that it was answered.

The asker may give a mobile number on the consultation form, to be told on WhatsApp or SMS
(through the office's gateway, as walk-in visitors are) when the consultant answers: the
number is the consent, asked for that purpose alone. Each answer is told once (a consultation
reopened and answered again is told again); the email goes as before, whatever the phone does.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from library.messaging.outbox import PhonePost, Recipient, tell
from library.models import Consultation, ConsultationAction, ConsultationEvent, MessageKind, Office
from library.uow import UnitOfWork


def tell_answered(post: PhonePost, consultation_id: int, page: Callable[[str], str]) -> list[int]:
    """Write the message telling the asker their consultation was answered; return it to send."""
    with UnitOfWork(post.session_factory) as uow:
        row = uow.session.get(Consultation, consultation_id)
        if row is None or not row.notify_phone or row.answered_at is None:
            return []
        office = uow.session.get_one(Office, row.office_id)
        answers = uow.session.scalar(
            select(func.count(ConsultationEvent.id)).where(
                ConsultationEvent.consultation_id == row.id,
                ConsultationEvent.action == ConsultationAction.ANSWERED.value,
            )
        )
        recipient = Recipient(row.notify_phone, True, "id", office.code, consultation_id=row.id)
        values = {"office": office.name, "number": row.number, "link": page(row.number)}
        told = tell(uow, post, recipient, MessageKind.ANSWERED, f"answer-{answers}", values)
        uow.commit()
        return [] if told is None else [told.id]

"""An email too large to take: its receipt kept as refused, and its sender told why, in both languages.

The email itself is never read (only its headers), so nothing of it is opened or kept but the
receipt; the notice answers it in its thread, marked `Auto-Submitted: auto-replied`, and says
what the office takes: the web form's limits on files.
"""

from __future__ import annotations

import datetime as dt

from library.consultation.attachments import MAX_FILES, MAX_MB
from library.consultation.by_email.intake import Oversized
from library.consultation.channels import refuse
from library.mail import Mailer, Message, bilingual
from library.models import ConsultationChannel
from library.uow import UnitOfWork


def refuse_oversized(uow: UnitOfWork, oversized: Oversized, mailer: Mailer | None, now: dt.datetime) -> bool:
    """Keep the refused email's receipt, tell its sender after the commit; False when seen before."""
    mb = max(oversized.size // (1024 * 1024), 1)
    note = f"too large: {mb} MB, more than the {oversized.cap // (1024 * 1024)} MB taken; not read"
    email = ConsultationChannel.EMAIL
    if not refuse(uow, email, oversized.external_id, oversized.sender, oversized.subject, note, now):
        return False
    if mailer is not None:
        mailer.send_after_commit(uow, too_large(oversized))
    return True


def too_large(oversized: Oversized) -> Message:
    """Return the notice that an email was too large to take, answering it in its thread."""
    size = max(oversized.size // (1024 * 1024), 1)
    cap = oversized.cap // (1024 * 1024)
    subject = oversized.subject or "Konsultasi"
    notice = bilingual(
        oversized.sender,
        f"Email Anda terlalu besar: {subject}",
        "Your email was too large",
        f"""
Halo,

Email Anda "{subject}" berukuran sekitar {size} MB, lebih dari {cap} MB yang dapat kami terima,
sehingga tidak kami baca dan tidak menjadi konsultasi.

Kirim ulang pertanyaan Anda dengan lampiran yang lebih kecil: paling banyak {MAX_FILES} berkas,
masing-masing paling besar {MAX_MB} MB (PDF, JPEG, PNG, XLSX, DOCX atau CSV).
""",
        f"""
Hello,

Your email "{subject}" was about {size} MB, more than the {cap} MB we can take, so it was not
read and did not open a consultation.

Please send your question again with smaller attachments: at most {MAX_FILES} files, each at
most {MAX_MB} MB (PDF, JPEG, PNG, XLSX, DOCX or CSV).
""",
    )
    return Message(
        to=notice.to,
        subject=notice.subject,
        text=notice.text,
        in_reply_to=oversized.external_id,
        references=(*reversed(oversized.refers_to), oversized.external_id)[-10:],
        auto_submitted="auto-replied",
    )

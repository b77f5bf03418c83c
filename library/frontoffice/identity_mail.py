"""The email carrying a walk-in visitor's one-time code, Indonesian first and English second.

The job takes only the visit's id: the code is derived again from the visit's salt and the
app's secret, so no queue ever holds it.
"""

from __future__ import annotations

from library.accounts.mail_job import AccountPost
from library.clock import InBoth, moment_in_both, office_zone
from library.frontoffice.identity import CODE_VALID, visit_code
from library.mail import Message, bilingual
from library.models import Visit
from library.uow import UnitOfWork


def send_visit_code(post: AccountPost, visit_id: int) -> bool:
    """Write and send the visit's current code; return whether one left (raise if the server refused)."""
    with UnitOfWork(post.session_factory) as uow:
        visit = uow.session.get(Visit, visit_id)
        if visit is None or not visit.email or not visit.email_code_salt or visit.email_code_sent_at is None:
            return False  # used, or the visit gone, before the email left
        if visit.left_at is not None:
            return False
        until = moment_in_both(visit.email_code_sent_at + CODE_VALID, office_zone(post.timezone))
        message = visit_code_mail(visit.email, visit.name, visit_code(post.secret, visit), until)
    post.mailer.send(message)
    return True


def visit_code_mail(to: str, name: str, code: str, until: InBoth) -> Message:
    """Return the email with the code a visitor types at the library terminal."""
    return bilingual(
        to,
        # Not "Kode terminal perpustakaan": that is the receipt's code, which opens a terminal session.
        f"Kode verifikasi email: {code}",
        f"Email verification code: {code}",
        f"""
Halo {name},

Kode untuk menghubungkan kunjungan Anda di PST dengan akun email ini:

    {code}

Ketik kode ini di terminal perpustakaan. Kode berlaku sampai {until.indonesian} dan hanya sekali pakai.
Jika Anda tidak sedang berkunjung ke PST, abaikan email ini: tanpa kode ini tidak ada yang
dapat memakai akun Anda.
""",
        f"""
Hello {name},

The code that links your visit to the PST with this email account:

    {code}

Type it at the library terminal. It works until {until.english}, once.
If you are not visiting the PST, ignore this email: without this code nobody can use your
account.
""",
    )

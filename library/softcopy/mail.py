"""The emails about softcopy requests, Indonesian first and English second."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from library.accounts.first_password import FirstPassword
from library.clock import day_in_both, moment_in_both, office_zone
from library.mail import Message, bilingual


@dataclass(frozen=True)
class Waiting:
    """What the acknowledgement of a waiting request says."""

    number: str
    title: str
    pages: str  # tidy ranges; empty for the whole publication
    embargo_until: dt.date | None  # set when the request waits for the release date
    due_at: dt.datetime
    link: str


def request_waiting(to: str, name: str, waiting: Waiting, timezone: str) -> Message:
    """Acknowledge a request that waits for a librarian or for the release date, and say until when."""
    due = moment_in_both(waiting.due_at, office_zone(timezone))
    pages_id = f"halaman {waiting.pages}" if waiting.pages else "seluruh publikasi"
    pages_en = f"pages {waiting.pages}" if waiting.pages else "the whole publication"
    if waiting.embargo_until is not None:
        release = day_in_both(waiting.embargo_until)
        why_id = (
            f"Publikasi ini diembargo sampai {release.indonesian}. Salinan Anda dibuat setelah tanggal\n"
            f"rilis, paling lambat {due.indonesian}."
        )
        why_en = (
            f"This publication is embargoed until {release.english}. Your copy is made after the release\n"
            f"date, by {due.english} at the latest."
        )
    else:
        why_id = (
            "Publikasi ini terbatas: pustakawan membaca permintaan Anda dan menjawab paling lambat\n"
            f"{due.indonesian}."
        )
        why_en = (
            f"This publication is restricted: a librarian reads your request and answers by {due.english}."
        )
    return bilingual(
        to,
        f"Permintaan softcopy diterima ({waiting.number})",
        f"Your softcopy request was received ({waiting.number})",
        f"""
Halo {name},

Permintaan softcopy {waiting.number} untuk "{waiting.title}" ({pages_id}) sudah kami terima.

{why_id}

Kami mengirim email lagi saat salinan siap atau bila permintaan tidak dapat dipenuhi.
Rincian dan status permintaan: {waiting.link}
""",
        f"""
Hello {name},

We have received softcopy request {waiting.number} for "{waiting.title}" ({pages_en}).

{why_en}

We will email you again when the copy is ready or if the request cannot be fulfilled.
Request details and status: {waiting.link}
""",
    )


def copy_ready(
    to: str,
    name: str,
    number: str,
    title: str,
    link: str,
    expires_at: dt.datetime,
    cap: int,
    timezone: str,
    note: str = "",
    survey_link: str = "",
    first_password: FirstPassword | None = None,
) -> Message:
    """Tell the person their copy can be downloaded, until when and how often; add the librarian's note.

    With `survey_link`, invite them to rate the service (the SKM survey) once they have the copy.
    With `first_password` (an account with no password yet), lead them to set one first.
    """
    until = moment_in_both(expires_at, office_zone(timezone))
    where_id = 'Unduh dari halaman "Permintaan saya"\nsetelah masuk ke akun Anda:'
    where_en = 'Download it from "My requests"\nonce signed in to your account:'
    if first_password is not None:
        where_id, where_en = first_password.steps(timezone)
    note_id = f"\nCatatan pustakawan:\n{note}\n" if note else ""
    note_en = f"\nThe librarian's note:\n{note}\n" if note else ""
    survey_id = survey_en = ""
    if survey_link:
        survey_id = (
            f"\nSetelah mengunduh, mohon nilai layanan kami (9 pertanyaan, tanpa nama):\n{survey_link}\n"
        )
        survey_en = (
            f"\nOnce you have your copy, please rate our service (9 questions, anonymous):\n{survey_link}\n"
        )
    return bilingual(
        to,
        f"Softcopy siap diunduh ({number})",
        f"Your softcopy is ready ({number})",
        f"""
Halo {name},

Softcopy "{title}" untuk permintaan {number} sudah siap. {where_id}

{link}
{note_id}
Tautan unduhan berlaku sampai {until.indonesian} dan dapat dipakai {cap} kali.
Setiap halaman memuat nama Anda, nomor permintaan, dan kode QR untuk memeriksa keaslian salinan.
{survey_id}""",
        f"""
Hello {name},

The softcopy of "{title}" for request {number} is ready. {where_en}

{link}
{note_en}
The download link works until {until.english} and can be used {cap} times.
Every page carries your name, the request number and a QR code that checks the copy is authentic.
{survey_en}""",
    )


def request_refused(to: str, name: str, number: str, title: str, reason: str, link: str) -> Message:
    """Tell the person their request was refused, and why."""
    return bilingual(
        to,
        f"Permintaan softcopy ditolak ({number})",
        f"Your softcopy request was refused ({number})",
        f"""
Halo {name},

Permintaan softcopy {number} untuk "{title}" tidak dapat kami penuhi, dengan alasan:

{reason}

Rincian permintaan: {link}
Jika ada pertanyaan, balas email ini atau hubungi petugas PST.
""",
        f"""
Hello {name},

We cannot fulfil softcopy request {number} for "{title}", for this reason:

{reason}

Request details: {link}
If you have questions, reply to this email or contact the PST staff.
""",
    )

"""The emails about softcopy requests, Indonesian first and English second."""

from __future__ import annotations

import datetime as dt

from library.clock import office_zone
from library.mail import Message, bilingual


def _when(moment: dt.datetime, timezone: str) -> str:
    """Write a moment as the office's local date and time."""
    return moment.astimezone(office_zone(timezone)).strftime("%d-%m-%Y %H:%M")


def copy_ready(
    to: str, name: str, number: str, title: str, link: str, expires_at: dt.datetime, cap: int, timezone: str
) -> Message:
    """Tell the person their stamped copy can be downloaded, until when and how often."""
    until = _when(expires_at, timezone)
    return bilingual(
        to,
        f"Softcopy siap diunduh ({number})",
        f"Your softcopy is ready ({number})",
        f"""
Halo {name},

Softcopy "{title}" untuk permintaan {number} sudah siap. Unduh dari halaman "Permintaan saya"
setelah masuk ke akun Anda:

{link}

Tautan unduhan berlaku sampai {until} dan dapat dipakai {cap} kali. Setiap halaman memuat
nama Anda, nomor permintaan, dan kode QR untuk memeriksa keaslian salinan.
""",
        f"""
Hello {name},

The softcopy of "{title}" for request {number} is ready. Download it from "My requests"
once signed in to your account:

{link}

The download link works until {until} and can be used {cap} times. Every page carries your
name, the request number and a QR code that checks the copy is authentic.
""",
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

"""The emails about softcopy requests, Indonesian first and English second."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from library.clock import office_zone
from library.mail import Message, bilingual


def _when(moment: dt.datetime, timezone: str) -> str:
    """Write a moment as the office's local date and time."""
    return moment.astimezone(office_zone(timezone)).strftime("%d-%m-%Y %H:%M")


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
    due = _when(waiting.due_at, timezone)
    pages_id = f"halaman {waiting.pages}" if waiting.pages else "seluruh publikasi"
    pages_en = f"pages {waiting.pages}" if waiting.pages else "the whole publication"
    if waiting.embargo_until is not None:
        release = f"{waiting.embargo_until:%d-%m-%Y}"
        why_id = (
            f"Publikasi ini diembargo sampai {release}. Salinan Anda dibuat setelah tanggal rilis,\n"
            f"paling lambat {due}."
        )
        why_en = (
            f"This publication is embargoed until {release}. Your copy is made after the release date,\n"
            f"by {due} at the latest."
        )
    else:
        why_id = (
            f"Publikasi ini terbatas: pustakawan membaca permintaan Anda dan menjawab paling lambat {due}."
        )
        why_en = f"This publication is restricted: a librarian reads your request and answers by {due}."
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
) -> Message:
    """Tell the person their copy can be downloaded, until when and how often; add the librarian's note."""
    until = _when(expires_at, timezone)
    note_id = f"\nCatatan pustakawan:\n{note}\n" if note else ""
    note_en = f"\nThe librarian's note:\n{note}\n" if note else ""
    return bilingual(
        to,
        f"Softcopy siap diunduh ({number})",
        f"Your softcopy is ready ({number})",
        f"""
Halo {name},

Softcopy "{title}" untuk permintaan {number} sudah siap. Unduh dari halaman "Permintaan saya"
setelah masuk ke akun Anda:

{link}
{note_id}
Tautan unduhan berlaku sampai {until} dan dapat dipakai {cap} kali. Setiap halaman memuat
nama Anda, nomor permintaan, dan kode QR untuk memeriksa keaslian salinan.
""",
        f"""
Hello {name},

The softcopy of "{title}" for request {number} is ready. Download it from "My requests"
once signed in to your account:

{link}
{note_en}
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

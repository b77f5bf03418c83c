"""The email that tells a visitor their scanned pages are ready, Indonesian first and English second."""

from __future__ import annotations

import datetime as dt

from library.accounts.first_password import FirstPassword
from library.clock import moment_in_both, office_zone
from library.mail import Message, bilingual


def scan_ready(
    to: str,
    name: str,
    title: str,
    link: str,
    expires_at: dt.datetime,
    cap: int,
    timezone: str,
    first_password: FirstPassword | None = None,
) -> Message:
    """Tell the visitor where to download the stamped copy of the pages scanned for them.

    With `first_password` (their account has no password yet), lead them to set one first.
    """
    until = moment_in_both(expires_at, office_zone(timezone))
    if first_password is not None:
        where_id, where_en = first_password.steps(timezone)
        no_password_id = no_password_en = ""
    else:
        where_id = 'Salinannya siap diunduh\ndari halaman "Permintaan saya" setelah masuk ke akun Anda:'
        where_en = 'The copy can be downloaded from\n"My requests" once you are signed in to your account:'
        no_password_id = (
            'Belum punya kata sandi? Daftar dengan alamat email ini, atau pilih "Lupa sandi" di halaman\n'
            "masuk. "
        )
        no_password_en = (
            'No password yet? Register with this email address, or choose "Forgot password" on the\n'
            "sign-in page. "
        )
    return bilingual(
        to,
        "Hasil pindai Anda siap diunduh",
        "Your scanned pages are ready",
        f"""
Halo {name},

Petugas perpustakaan PST telah memindai "{title}" untuk Anda. {where_id}

{link}

{no_password_id}Tautan unduhan berlaku sampai {until.indonesian} dan dapat dipakai {cap} kali.
Setiap halaman memuat nama Anda dan kode QR untuk memeriksa keaslian salinan.
""",
        f"""
Hello {name},

The PST library staff scanned "{title}" for you. {where_en}

{link}

{no_password_en}The download link works until {until.english} and can be used {cap} times.
Every page carries your name and a QR code that checks the copy is authentic.
""",
    )

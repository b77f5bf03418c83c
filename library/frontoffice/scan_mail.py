"""The email that tells a visitor their scanned pages are ready, Indonesian first and English second."""

from __future__ import annotations

import datetime as dt

from library.clock import moment_in_both, office_zone
from library.mail import Message, bilingual


def scan_ready(
    to: str, name: str, title: str, link: str, expires_at: dt.datetime, cap: int, timezone: str
) -> Message:
    """Tell the visitor where to download the stamped copy of the pages scanned for them."""
    until = moment_in_both(expires_at, office_zone(timezone))
    return bilingual(
        to,
        "Hasil pindai Anda siap diunduh",
        "Your scanned pages are ready",
        f"""
Halo {name},

Petugas perpustakaan PST telah memindai "{title}" untuk Anda. Salinannya siap diunduh
dari halaman "Permintaan saya" setelah masuk ke akun Anda:

{link}

Belum punya kata sandi? Daftar dengan alamat email ini, atau pilih "Lupa sandi" di halaman
masuk. Tautan unduhan berlaku sampai {until.indonesian} dan dapat dipakai {cap} kali.
Setiap halaman memuat nama Anda dan kode QR untuk memeriksa keaslian salinan.
""",
        f"""
Hello {name},

The PST library staff scanned "{title}" for you. The copy can be downloaded from
"My requests" once you are signed in to your account:

{link}

No password yet? Register with this email address, or choose "Forgot password" on the
sign-in page. The download link works until {until.english} and can be used {cap} times.
Every page carries your name and a QR code that checks the copy is authentic.
""",
    )

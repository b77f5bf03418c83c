"""The emails about accounts, Indonesian first and English second, as every email of Pustaka."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from library.clock import moment_in_both, office_zone
from library.mail import Message, bilingual


@dataclass(frozen=True)
class Links:
    """Where account emails point; the web layer builds them from the public base URL.

    Never from the request's Host header: a forged host would otherwise put an attacker's
    address into a genuine password-reset email.
    """

    verify_email: Callable[[str], str]
    reset_password: Callable[[str], str]
    sign_in: str
    forgot_password: str


def verify_email(
    to: str, name: str, link: str, until: dt.datetime, timezone: str, *, new_address: bool = False
) -> Message:
    """Ask the person to prove the address is theirs by following the link before it expires."""
    ends = moment_in_both(until, office_zone(timezone))
    why_id = (
        "Anda meminta mengganti alamat email akun Pustaka Anda ke alamat ini."
        if new_address
        else "Terima kasih telah mendaftar di Pustaka, perpustakaan digital PST BPS."
    )
    why_en = (
        "You asked to change the email address of your Pustaka account to this one."
        if new_address
        else "Thank you for registering with Pustaka, the digital library of BPS's PST."
    )
    return bilingual(
        to,
        "Verifikasi alamat email Anda",
        "Verify your email address",
        f"""
Halo {name},

{why_id} Untuk memastikan alamat ini milik Anda, buka tautan berikut dalam 48 jam
(sampai {ends.indonesian}):

{link}

Jika Anda tidak merasa melakukannya, abaikan email ini; tidak ada yang berubah.
""",
        f"""
Hello {name},

{why_en} To confirm that this address is yours, open this link within 48 hours
(until {ends.english}):

{link}

If this was not you, ignore this email; nothing will change.
""",
    )


def already_registered(to: str, name: str, links: Links) -> Message:
    """Tell the owner of an address that someone tried to register it again."""
    return bilingual(
        to,
        "Anda sudah memiliki akun Pustaka",
        "You already have a Pustaka account",
        f"""
Halo {name},

Seseorang (mungkin Anda) mencoba mendaftar atau memakai alamat email ini di Pustaka, tetapi
alamat ini sudah terdaftar. Anda dapat masuk di:

{links.sign_in}

Jika lupa kata sandi, buat kata sandi baru di:

{links.forgot_password}

Jika bukan Anda, abaikan email ini; akun Anda tidak berubah.
""",
        f"""
Hello {name},

Someone (perhaps you) tried to register or use this email address with Pustaka, but it
already has an account. You can sign in at:

{links.sign_in}

If you forgot your password, choose a new one at:

{links.forgot_password}

If this was not you, ignore this email; your account has not changed.
""",
    )


def claim_account(to: str, name: str, link: str, until: dt.datetime, timezone: str) -> Message:
    """Tell the owner of an account made at the office (no password yet) how to give it one."""
    ends = moment_in_both(until, office_zone(timezone))
    return bilingual(
        to,
        "Akun Pustaka Anda sudah ada: buat kata sandinya",
        "Your Pustaka account exists: choose its password",
        f"""
Halo {name},

Seseorang (mungkin Anda) mencoba mendaftar dengan alamat email ini. Alamat ini sudah memiliki
akun Pustaka, yang dibuat saat kunjungan Anda ke PST, tetapi belum memiliki kata sandi.
Buka tautan berikut dalam 2 jam (sampai {ends.indonesian}) untuk membuat kata sandi Anda:

{link}

Jika bukan Anda yang mendaftar, abaikan email ini; akun Anda tidak berubah.
""",
        f"""
Hello {name},

Someone (perhaps you) tried to register with this email address. It already has a Pustaka
account, made during your visit to the PST, but the account has no password yet. Open this
link within 2 hours (until {ends.english}) to choose your password:

{link}

If it was not you who registered, ignore this email; your account has not changed.
""",
    )


def reset_password(to: str, name: str, link: str, until: dt.datetime, timezone: str) -> Message:
    """Send the link that lets the person choose a new password, and say until when it works."""
    ends = moment_in_both(until, office_zone(timezone))
    return bilingual(
        to,
        "Atur ulang kata sandi Pustaka",
        "Reset your Pustaka password",
        f"""
Halo {name},

Kami menerima permintaan untuk mengatur ulang kata sandi akun Pustaka Anda. Buka tautan
berikut dalam 2 jam (sampai {ends.indonesian}) untuk membuat kata sandi baru
(tautan hanya dapat dipakai sekali):

{link}

Jika Anda tidak memintanya, abaikan email ini; kata sandi Anda tetap sama.
""",
        f"""
Hello {name},

We received a request to reset the password of your Pustaka account. Open this link within
2 hours (until {ends.english}) to choose a new password (the link works only once):

{link}

If you did not ask for this, ignore this email; your password stays the same.
""",
    )


def password_changed(to: str, name: str, links: Links, at: dt.datetime, timezone: str) -> Message:
    """Tell the person their password changed, and when, and what to do if it was not them."""
    when = moment_in_both(at, office_zone(timezone))
    return bilingual(
        to,
        "Kata sandi Pustaka Anda telah diubah",
        "Your Pustaka password was changed",
        f"""
Halo {name},

Kata sandi akun Pustaka Anda diubah pada {when.indonesian}, dan semua sesi lain telah
dikeluarkan.

Jika bukan Anda yang mengubahnya, segera buat kata sandi baru di:

{links.forgot_password}

lalu hubungi petugas PST.
""",
        f"""
Hello {name},

The password of your Pustaka account was changed on {when.english}, and every other session
was signed out.

If this was not you, choose a new password at once at:

{links.forgot_password}

and tell the PST staff.
""",
    )


def email_changed(to: str, name: str, new_email: str, at: dt.datetime, timezone: str) -> Message:
    """Tell the old address that the account now uses another one, and since when."""
    when = moment_in_both(at, office_zone(timezone))
    return bilingual(
        to,
        "Alamat email akun Pustaka Anda telah diganti",
        "The email address of your Pustaka account was changed",
        f"""
Halo {name},

Sejak {when.indonesian}, akun Pustaka Anda memakai alamat {new_email}. Email berikutnya
akan dikirim ke sana.

Jika bukan Anda yang menggantinya, segera hubungi petugas PST.
""",
        f"""
Hello {name},

Since {when.english}, your Pustaka account uses the address {new_email}. Future emails will
go there.

If this was not you, tell the PST staff at once.
""",
    )

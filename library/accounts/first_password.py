"""A first password for an account that has none: a walk-in's account, made from the guest book.

Such an account is told its copy is ready by email, and the copy waits on its "My requests"
page, behind a sign-in. The email therefore carries a link to set a password: the password-reset
page, with a token of its own purpose that lives as long as a download link and stops working
once a password is set (it carries the same fingerprint as a reset link).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from library.accounts.mail_job import reset_fingerprint
from library.clock import moment_in_both, office_zone
from library.models import User
from library.tokens import SET_PASSWORD, make_token


@dataclass(frozen=True)
class FirstPassword:
    """A link that sets the first password of a walk-in's account, which has none yet."""

    link: str
    until: dt.datetime

    def steps(self, timezone: str) -> tuple[str, str]:
        """Return, in Indonesian and English, how to reach the copy: set a password, then sign in."""
        until = moment_in_both(self.until, office_zone(timezone))
        return (
            "Akun Anda belum memiliki kata sandi. Buat kata sandi\n"
            f"lebih dahulu melalui tautan ini (berlaku sampai {until.indonesian}):\n\n{self.link}\n\n"
            'Setelah itu masuk dengan alamat email ini dan unduh dari halaman "Permintaan saya":',
            "Your account has no password yet. First set one\n"
            f"through this link (it works until {until.english}):\n\n{self.link}\n\n"
            'Then sign in with this email address and download it from "My requests":',
        )


@dataclass(frozen=True)
class PasswordLinks:
    """How an email to an account without a password offers a link to set one."""

    secret: bytes  # the app's secret key, which signs account links
    page: Callable[[str], str]  # the set-password (reset) page of a token

    def for_account(self, user: User, now: dt.datetime) -> FirstPassword | None:
        """Return a link that sets the first password of an account without one; None if it has one."""
        if user.password_hash is not None or not user.active:
            return None
        token = make_token(self.secret, SET_PASSWORD, {"u": user.id, "p": reset_fingerprint(user)}, now)
        return FirstPassword(self.page(token), now + SET_PASSWORD.max_age)

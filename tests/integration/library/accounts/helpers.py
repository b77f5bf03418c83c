"""What account use-case tests share: a clock, a key, a recording mail backend, services on a database."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage

from sqlalchemy import Engine

from library.db import make_session_factory
from library.mail import Mailer
from library.people.accounts import AccountServices
from library.people.mail import Links
from library.people.ratelimit import Limit, SqlRateLimiter, Throttle

KEY = b"s" * 64
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
PASSWORD = "kopi tubruk pagi hari"


class RecordingBackend:
    """Keeps every email it is asked to send; fails while `down` is set."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self.down = False

    def send(self, mail: EmailMessage) -> None:
        if self.down:
            raise ConnectionRefusedError("the mail server is down")
        self.sent.append(mail)

    def last_link(self, kind: str) -> str:
        """Return the token of the last link of a kind ('verify' or 'reset') in the sent mail."""
        found = re.findall(rf"https://pst\.example/{kind}/(\S+)", self.sent[-1].get_content())
        assert found, self.sent[-1].get_content()
        return found[0]


def make_services(engine: Engine, backend: RecordingBackend, attempts: int = 10) -> AccountServices:
    """Return account services on the engine's database."""
    links = Links(
        verify_email=lambda token: f"https://pst.example/verify/{token}",
        reset_password=lambda token: f"https://pst.example/reset/{token}",
        sign_in="https://pst.example/masuk",
        forgot_password="https://pst.example/lupa-sandi",
    )
    throttle = Throttle(
        SqlRateLimiter(make_session_factory(engine)), Limit(attempts, dt.timedelta(minutes=15))
    )
    return AccountServices(secret=KEY, mailer=Mailer(backend, "pst@example"), links=links, throttle=throttle)

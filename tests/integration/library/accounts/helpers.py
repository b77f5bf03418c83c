"""What account use-case tests share: a clock, a key, a recording mail backend, services on a database.

The account emails' job runs inline, as Huey's immediate mode runs it: once the use case's
transaction commits, with the mailbox as the mail server.
"""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage

from sqlalchemy import Engine

from library.accounts.mail import Links
from library.accounts.mail_job import AccountPost, send_account_mail
from library.accounts.ratelimit import Limit, SqlRateLimiter, Throttle
from library.accounts.registration import AccountServices
from library.db import make_session_factory
from library.mail import Mailer

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


class InlineMailJobs:
    """Runs each queued account email at once; keeps the ones the mail server refused, to run again."""

    def __init__(self, post: AccountPost) -> None:
        self.post = post
        self.queued: list[tuple[str, str, int | None]] = []
        self.failed: list[tuple[str, str, int | None]] = []

    def account_mail(self, notice: str, address: str, user_id: int | None) -> None:
        self.queued.append((notice, address, user_id))
        self._run((notice, address, user_id))

    def retry(self) -> None:
        """Run again the jobs that failed, as the queue does after its delay."""
        failed, self.failed = self.failed, []
        for job in failed:
            self._run(job)

    def _run(self, job: tuple[str, str, int | None]) -> None:
        try:
            send_account_mail(self.post, *job)
        except OSError:
            self.failed.append(job)


def make_services(engine: Engine, backend: RecordingBackend, attempts: int = 10) -> AccountServices:
    """Return account services on the engine's database, their emails sent by a job run inline."""
    links = Links(
        verify_email=lambda token: f"https://pst.example/verify/{token}",
        reset_password=lambda token: f"https://pst.example/reset/{token}",
        sign_in="https://pst.example/masuk",
        forgot_password="https://pst.example/lupa-sandi",
    )
    throttle = Throttle(
        SqlRateLimiter(make_session_factory(engine)), Limit(attempts, dt.timedelta(minutes=15))
    )
    post = AccountPost(
        session_factory=make_session_factory(engine),
        mailer=Mailer(backend, "pst@example"),
        secret=KEY,
        links=links,
        timezone="Asia/Jakarta",
        now=lambda: NOW,
    )
    return AccountServices(secret=KEY, queue=InlineMailJobs(post), throttle=throttle)

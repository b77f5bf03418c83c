"""Helpers for account tests through the Flask test client: forms with their CSRF token, outbox, people,
the job queue, and a real SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from library.models import Role
from tests.integration.library.accounts_helpers import stored_person

PASSWORD = "kopi tubruk pagi hari"
CSRF = re.compile(r'name="(?:[\w-]+-)?csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/masuk") -> str:
    """Open a page with a form and return its CSRF token."""
    page = client.get(path).get_data(as_text=True)
    found = CSRF.search(page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def submit(
    client: FlaskClient, path: str, data: dict[str, str], form_page: str | None = None
) -> TestResponse:
    """Post a form the way a browser does: with the token from the page that shows it."""
    return client.post(path, data={"csrf_token": csrf_token(client, form_page or path), **data})


def page_text(response: TestResponse) -> str:
    """Return the visible text of a response's main region, spaces collapsed."""
    html = response.get_data(as_text=True)
    main = html[html.find("<main") : html.find("</main>")] if "<main" in html else html
    return " ".join(re.sub(r"<[^>]+>", " ", main).replace("&#39;", "'").replace("&#34;", '"').split())


def outbox(app: Flask) -> list[EmailMessage]:
    """Return the emails in the instance's outbox folder, oldest first."""
    folder = Path(app.extensions["pustaka"].settings.instance_path) / "outbox"
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for path in sorted(folder.glob("*.eml"))
    ]


def body(mail: EmailMessage) -> str:
    """Return an email's text."""
    return mail.get_content()


def link_in(mail: EmailMessage, path: str) -> str:
    """Return the local part of the first link in the email to a path under `path`."""
    found = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\S+)", body(mail))
    assert found, f"no link to {path} in {body(mail)}"
    return found.group(1)


def move_clock(app: Flask, by: dt.timedelta) -> None:
    """Make the app's clock run `by` ahead of the real time."""
    app.extensions["pustaka"].now = lambda: dt.datetime.now(dt.UTC) + by


@dataclass(frozen=True)
class Person:
    """A person made for a test."""

    id: int
    email: str
    password: str = PASSWORD


def make_person(
    app: Flask, email: str, roles: Iterable[Role] = (Role.READER,), *, verified: bool = True, name: str = ""
) -> Person:
    """Create an account directly through the use case."""
    uow = app.extensions["pustaka"].uow()
    made = stored_person(uow, email, roles, name, password=PASSWORD, email_verified=verified)
    return Person(made.id, made.email)


def sign_in(client: FlaskClient, person: Person, password: str | None = None, **extra: str) -> TestResponse:
    """Sign in through the form."""
    return submit(client, "/masuk", {"email": person.email, "password": password or person.password, **extra})


REGISTRATION = {
    "name": "Siti Aminah",
    "email": "siti@example.id",
    "password": PASSWORD,
    "confirm_password": PASSWORD,
    "institution": "Universitas Lampung",
    "occupation": "student",
    "consent": "y",
}


def register(client: FlaskClient, **changes: str) -> TestResponse:
    """Fill in and send the registration form."""
    return submit(client, "/daftar", {**REGISTRATION, **changes})


def run_queued_jobs(app: Flask) -> int:
    """Run the jobs waiting in the app's queue, as a consumer does after the response; return how many ran."""
    ran = 0
    for huey in app.extensions["pustaka"].jobs.lanes.values():
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
            ran += 1
    return ran


def run_retries(app: Flask) -> int:
    """Run the failed jobs waiting to be tried again, as if their delay had passed; return how many ran."""
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1)  # Huey's clock: naive UTC
    ran = 0
    for huey in app.extensions["pustaka"].jobs.lanes.values():
        for task in huey.read_schedule(later):
            huey.execute(task, later)
            ran += 1
    return ran


@dataclass
class MailServer:
    """A real SMTP server on loopback: the emails it took, and every connection made to it."""

    port: int
    received: list[EmailMessage] = field(default_factory=list)
    connections: int = 0
    controller: Controller | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[arg-type]
        )
        return "250 OK"

    def start(self) -> None:
        """Start listening (again); connections are counted from here."""
        server = self

        class Counting(Controller):
            def factory(self) -> SMTP:
                smtp = super().factory()
                server.connections += 1
                return smtp

        self.controller = Counting(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.connections = 0  # start() knocks once to see the server is up

    def stop(self) -> None:
        """Stop listening: a client is refused, as by a server that is down."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def smtp_app(make_app: Callable[..., Flask], port: int) -> Flask:
    """Return the web app on the test's instance (made by the `make_app` fixture, which closes it),
    sending mail to the SMTP server on the port."""
    settings = {
        "PUSTAKA_MAIL_BACKEND": "smtp",
        "PUSTAKA_SMTP_HOST": "127.0.0.1",
        "PUSTAKA_SMTP_PORT": str(port),
        "PUSTAKA_MAIL_FROM": "PST BPS <pst@bps.go.id>",
    }
    return make_app(settings)

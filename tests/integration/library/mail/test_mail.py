"""Email leaves for real: .eml files in the outbox folder, or a local SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from library.mail import Mailer, Message, OutboxBackend, SmtpBackend, make_mailer
from library.settings import Settings

MESSAGE = Message(
    "siti@example.id",
    "Verifikasi alamat email Anda · Verify",
    "Halo Siti,\n\nhttps://pst.example/verifikasi-email/abc\n",
)


@dataclass
class Inbox:
    """What the test SMTP server received."""

    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default)  # type: ignore[arg-type,misc]
            for e in self.envelopes
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Make a self-signed certificate for 127.0.0.1 with openssl."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def client_context(cert: Path) -> ssl.SSLContext:
    """Trust exactly the test certificate, verifying it as a real client would."""
    return ssl.create_default_context(cafile=str(cert))


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """Run a plain SMTP server on a free loopback port."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def tls_smtp_server(certificate) -> Iterator[tuple[Inbox, int]]:
    """Run an SMTP server that requires STARTTLS and a login (pst / rahasia-smtp)."""
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)

    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:  # type: ignore[no-untyped-def]
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"pst",
            b"rahasia-smtp",
        )
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_context,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    yield inbox, port
    controller.stop()


def test_the_outbox_writes_one_readable_eml_file_per_message(tmp_path: Path) -> None:
    mailer = Mailer(OutboxBackend(tmp_path / "outbox"), "PST BPS <pst@bps.go.id>")
    mailer.send(MESSAGE)
    mailer.send(MESSAGE)
    files = sorted((tmp_path / "outbox").iterdir())
    assert len(files) == 2 and all(f.suffix == ".eml" for f in files)
    assert not any(f.name.startswith(".") for f in files)  # no temporary file left behind
    mail = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert mail["To"] == "siti@example.id" and mail["From"] == "PST BPS <pst@bps.go.id>"
    assert "https://pst.example/verifikasi-email/abc" in mail.get_content()  # type: ignore[attr-defined]


def test_the_outbox_reports_a_folder_it_cannot_write(tmp_path: Path) -> None:
    blocked = tmp_path / "outbox"
    blocked.write_text("a file, not a folder")
    with pytest.raises(OSError):
        Mailer(OutboxBackend(blocked), "pst@bps.go.id").send(MESSAGE)


def test_smtp_delivers_to_a_real_server(smtp_server) -> None:
    inbox, port = smtp_server
    Mailer(SmtpBackend("127.0.0.1", port), "pst@bps.go.id").send(MESSAGE)
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "pst@bps.go.id" and envelope.rcpt_tos == ["siti@example.id"]
    [mail] = inbox.messages()
    assert mail["Subject"] == MESSAGE.subject
    assert "Halo Siti" in mail.get_content()  # type: ignore[attr-defined]


def test_smtp_settings_from_the_environment_reach_the_server(smtp_server, tmp_path: Path) -> None:
    inbox, port = smtp_server
    settings = Settings.from_env(
        {
            "PUSTAKA_MAIL_BACKEND": "smtp",
            "PUSTAKA_SMTP_PORT": str(port),
            "PUSTAKA_MAIL_FROM": "PST <pst@bps.go.id>",
        },
        instance_dir=tmp_path,
    )
    make_mailer(settings).send(MESSAGE)
    assert [e.rcpt_tos for e in inbox.envelopes] == [["siti@example.id"]]


def test_smtp_uses_starttls_and_logs_in(tls_smtp_server, certificate) -> None:
    inbox, port = tls_smtp_server
    backend = SmtpBackend(
        "127.0.0.1",
        port,
        user="pst",
        password="rahasia-smtp",
        starttls=True,
        ssl_context=client_context(certificate[0]),
    )
    Mailer(backend, "pst@bps.go.id").send(MESSAGE)
    assert len(inbox.envelopes) == 1


def test_smtp_refuses_a_wrong_password(tls_smtp_server, certificate) -> None:
    import smtplib

    _, port = tls_smtp_server
    backend = SmtpBackend(
        "127.0.0.1",
        port,
        user="pst",
        password="salah",
        starttls=True,
        ssl_context=client_context(certificate[0]),
    )
    with pytest.raises(smtplib.SMTPAuthenticationError):
        Mailer(backend, "pst@bps.go.id").send(MESSAGE)


def test_smtp_does_not_trust_an_unknown_certificate(tls_smtp_server) -> None:
    _, port = tls_smtp_server
    backend = SmtpBackend("127.0.0.1", port, user="pst", password="rahasia-smtp", starttls=True)
    with pytest.raises(ssl.SSLCertVerificationError):
        Mailer(backend, "pst@bps.go.id").send(MESSAGE)


def test_a_server_that_is_down_raises_for_the_mailer_to_log() -> None:
    with pytest.raises(OSError):
        Mailer(SmtpBackend("127.0.0.1", free_port()), "pst@bps.go.id").send(MESSAGE)


def test_port_465_means_tls_from_the_start(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"PUSTAKA_MAIL_BACKEND": "smtp", "PUSTAKA_SMTP_PORT": "465"}, instance_dir=tmp_path
    )
    backend = make_mailer(settings).backend
    assert isinstance(backend, SmtpBackend) and backend.implicit_tls

"""A real IMAP server for the tests: Dovecot run in the foreground with its own configuration.

Everything lives in a folder of its own (the configuration, a passwd-file with one user, the
maildir, the run and state folders); the server listens on a free 127.0.0.1 port and accepts
plaintext sign-in there (loopback only). Tests put mail in with IMAP APPEND, as another client
would. Starting and stopping Dovecot takes about a second each, so one server runs for a test
session (`SharedDovecot`) and each test signs in as a user of its own, with an empty mailbox
(Dovecot reads its passwd-file again when the file changes); a test that stops its server has
one of its own. Run as root, Dovecot's sign-in processes run as its
own `dovenull` user and the mail as `dovecot` (it refuses root for both); run as anyone else,
everything runs as that user.
"""

from __future__ import annotations

import dataclasses
import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import require_service

USER, PASSWORD = "pst@bps.example.id", "rahasia-imap"


def dovecot_binary() -> str | None:
    """Return Dovecot's program, wherever the distribution put it."""
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)), None
    )


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ImapServer:
    """A running Dovecot: its port, user and folder, and a client to put mail in and look."""

    port: int
    folder: Path
    binary: str
    user: str = USER
    password: str = PASSWORD
    tls_port: int = 0  # implicit TLS (IMAPS), when started with TLS; the plain port then offers STARTTLS
    process: subprocess.Popen[bytes] | None = None
    shared: bool = False  # one user of a server other tests use too: it may not be stopped

    @property
    def certificate(self) -> Path:
        """Return the server's self-signed certificate (for 127.0.0.1), when started with TLS."""
        return self.folder / "cert.pem"

    def client(self) -> imaplib.IMAP4:
        """Return a client signed in to the test user's mailbox."""
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(self.user, self.password)
        return client

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        """Put one email into a folder by IMAP APPEND (unseen)."""
        client = self.client()
        try:
            status, said = client.append(folder, "", None, raw)
            assert status == "OK", said
        finally:
            client.logout()

    def flags(self, folder: str = "INBOX") -> list[str]:
        """Return the flags of each email in a folder, oldest first."""
        client = self.client()
        try:
            client.select(f'"{folder}"', readonly=True)
            status, data = client.uid("FETCH", "1:*", "(FLAGS)")
            return [d.decode() for d in data if isinstance(d, bytes)] if status == "OK" else []
        finally:
            client.logout()

    def count(self, folder: str = "INBOX") -> int:
        """Return how many emails a folder holds (0 when it does not exist)."""
        client = self.client()
        try:
            status, data = client.select(f'"{folder}"', readonly=True)
            return int(data[0]) if status == "OK" and data[0] else 0
        finally:
            client.logout()

    def start(self) -> None:
        """Start the server (again: its mail stays in its folder) and wait until it answers."""
        assert not self.shared, "a shared server is not restarted: ask for a server of the test's own"
        self.process = subprocess.Popen(  # noqa: S603 - the test's own server
            [self.binary, "-F", "-c", str(self.folder / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_until_listening(self)

    def stop(self) -> None:
        """Stop the server and wait until its process has ended."""
        assert not self.shared, "a shared server is not stopped: ask for a server of the test's own"
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class SharedDovecot:
    """One running Dovecot that hands each test a user of its own, with an empty mailbox.

    Its users are all written when it starts: Dovecot reads its passwd-file again at most once
    a second, too late for a user added just before a test signs in.
    """

    USERS = 1000  # more than a test session asks for

    def __init__(self, server: ImapServer) -> None:
        self.server = server
        self.numbers = iter(range(1, self.USERS + 1))

    @staticmethod
    def passwd_lines(folder: Path, uid: int, gid: int) -> str:
        """Return the passwd-file lines of the users a shared server hands out."""
        return "".join(
            f"pst-{n}@bps.example.id:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{folder}/mail-{n}::\n"
            for n in range(1, SharedDovecot.USERS + 1)
        )

    def new_user(self) -> ImapServer:
        """Return the server as seen by a user no test has signed in as yet (its mail folder made)."""
        number = next(self.numbers, None)
        assert number is not None, f"the shared IMAP server has handed out all its {self.USERS} users"
        owner = (self.server.folder / "passwd").stat()
        mail = self.server.folder / f"mail-{number}"
        mail.mkdir()
        os.chown(mail, owner.st_uid, owner.st_gid)
        user = f"pst-{number}@bps.example.id"
        return dataclasses.replace(self.server, user=user, process=None, shared=True)


def _configuration(folder: Path, port: int, login_user: str, internal: tuple[str, str], tls_port: int) -> str:
    """Return Dovecot's configuration for a one-user server in the folder (TLS on tls_port, unless 0)."""
    ssl = f"ssl = yes\nssl_cert = <{folder}/cert.pem\nssl_key = <{folder}/key.pem" if tls_port else "ssl = no"
    return f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = {login_user}
default_internal_user = {internal[0]}
default_internal_group = {internal[1]}
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = {folder}/passwd
}}
userdb {{
  driver = passwd-file
  args = {folder}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
# No penalty after a refused sign-in: tests share the server, and one test's wrong password
# would hold up the next test's sign-in by seconds.
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def _users() -> tuple[str, tuple[str, str], int, int]:
    """Return the sign-in user, the internal user and group, and the mail's uid and gid for this process."""
    if os.getuid() != 0:
        me, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
        return me, (me, group), os.getuid(), os.getgid()
    internal = pwd.getpwnam("dovecot")
    return "dovenull", ("dovecot", grp.getgrgid(internal.pw_gid).gr_name), internal.pw_uid, internal.pw_gid


def _wait_until_listening(server: ImapServer) -> None:
    """Wait until the server answers on its port (or fail with its log)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.process is None or server.process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1) as conn:
                if conn.recv(64).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)
    log = (server.folder / "dovecot.log").read_text(errors="replace") if server.folder.exists() else ""
    server.stop()
    pytest.fail(f"Dovecot did not start: {log}")


def _make_certificate(folder: Path) -> None:
    """Write a self-signed certificate for 127.0.0.1 and its key into the folder (openssl)."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "1", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip


@contextmanager
def running_dovecot(*, tls: bool = False, shared: bool = False) -> Iterator[ImapServer]:
    """Run Dovecot on a free loopback port until the block ends (tls: also IMAPS, and STARTTLS).

    shared: with the users a `SharedDovecot` hands out, besides the one user.
    """
    binary = dovecot_binary()
    require_service("Dovecot (dovecot-imapd)", binary is not None)
    assert binary is not None
    folder = Path(tempfile.mkdtemp(prefix="pustaka-dovecot-"))
    login_user, internal, uid, gid = _users()
    port, tls_port = free_port(), free_port() if tls else 0
    if tls:
        _make_certificate(folder)
    (folder / "mail").mkdir()
    users = f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{folder}/mail::\n"
    (folder / "passwd").write_text(users + (SharedDovecot.passwd_lines(folder, uid, gid) if shared else ""))
    (folder / "dovecot.conf").write_text(_configuration(folder, port, login_user, internal, tls_port))
    for path in (folder, folder / "mail", folder / "passwd", folder / "dovecot.conf"):
        os.chown(path, uid, gid)
    server = ImapServer(port, folder, binary, tls_port=tls_port)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)

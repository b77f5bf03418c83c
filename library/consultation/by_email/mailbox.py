"""The office's mailbox over IMAP: sign in, list unseen mail by UID, read one within a cap, mark it done.

Only UID commands are used (a sequence number shifts when another client expunges). An email
is read with BODY.PEEK, which leaves it unseen: it is marked \\Seen (and moved to the done
folder, when one is set) only by `done`, after the database has kept it, so a crash between the
two reads it again and the id already kept makes that a repeat, not a loss. A partial fetch of
at most the cap plus one byte holds no more than that in memory, whatever the server says the
email's size is.

A failure to reach or use the mailbox is a `MailboxTrouble` whose message says what an
administrator can do about it.
"""

from __future__ import annotations

import imaplib
import re
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

TIMEOUT_SECONDS = 30
LOOPBACK = ("127.0.0.1", "::1", "localhost")
TLS_MODES = ("implicit", "starttls", "none")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class MailboxTrouble(Exception):
    """The mailbox could not be reached, signed in to or used; the message says what to check."""


@dataclass(frozen=True)
class MailboxAccess:
    """Where the office's mailbox is and how to sign in to it."""

    host: str
    port: int = 993
    user: str = ""
    password: str = field(default="", repr=False)
    folder: str = "INBOX"
    tls: str = "implicit"  # implicit (IMAPS), starttls, none (a server on this machine only)
    done_folder: str = ""  # handled mail is moved here; "": left where it is, marked seen
    ssl_context: ssl.SSLContext | None = None  # None: the system's trusted certificates

    def where(self) -> str:
        """Name the mailbox for a person: user@host:port/folder."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


class Mailbox:
    """One signed-in IMAP session on the office's folder."""

    def __init__(self, client: imaplib.IMAP4, access: MailboxAccess) -> None:
        self.client = client
        self.access = access
        can = _capabilities(client)
        self._moves, self._uid_expunge = b"MOVE" in can, b"UIDPLUS" in can

    def unseen(self, limit: int) -> list[int]:
        """Return the UIDs of the oldest unseen emails, at most `limit`."""
        found = self._ok(self.client.uid("SEARCH", "UNSEEN"), "search the folder")
        uids = sorted(int(n) for n in b" ".join(x for x in found if isinstance(x, bytes)).split())
        return uids[:limit]

    def size(self, uid: int) -> int | None:
        """Return the email's size in bytes as the server counts it; None when it is gone."""
        found = self._ok(self.client.uid("FETCH", str(uid), "(RFC822.SIZE)"), "read a size")
        for item in found:
            line = item[0] if isinstance(item, tuple) else item
            match = _SIZE.search(line) if isinstance(line, bytes) else None
            if match:
                return int(match.group(1))
        return None

    def read(self, uid: int, cap: int) -> bytes | None:
        """Return the email's bytes, at most cap + 1 of them, leaving it unseen; None when it is gone."""
        return self._fetch(uid, f"(BODY.PEEK[]<0.{cap + 1}>)")

    def head(self, uid: int) -> bytes | None:
        """Return the email's header lines only, leaving it unseen; None when it is gone."""
        return self._fetch(uid, "(BODY.PEEK[HEADER])")

    def done(self, uid: int) -> None:
        """Mark the email seen and, when a done folder is set, move it there."""
        self._ok(self.client.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Seen)"), "mark mail as read")
        target = self.access.done_folder
        if not target:
            return
        if self._moves:
            self._ok(self.client.uid("MOVE", str(uid), _quoted(target)), f"move mail to {target}")
            return
        self._ok(self.client.uid("COPY", str(uid), _quoted(target)), f"copy mail to {target}")
        self._ok(self.client.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)"), "delete a moved mail")
        if self._uid_expunge:  # only this email: another client's deleted mail is theirs to expunge
            self._ok(self.client.uid("EXPUNGE", str(uid)), "expunge a moved mail")

    def _fetch(self, uid: int, what: str) -> bytes | None:
        """Return the literal of a one-part FETCH, or None when the UID is gone."""
        found = self._ok(self.client.uid("FETCH", str(uid), what), "read mail")
        for item in found:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
                return item[1]
        return None

    def _ok(self, answer: tuple[str, list], doing: str) -> list:
        """Return the answer's data, or raise MailboxTrouble when the server said no."""
        status, data = answer
        if status != "OK":
            said = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
            raise MailboxTrouble(f"The mail server would not {doing} in {self.access.where()}: {said}")
        return data


@contextmanager
def open_mailbox(access: MailboxAccess) -> Iterator[Mailbox]:
    """Connect, secure, sign in and open the folder (and make sure the done folder exists); log out after."""
    client = _connect(access)
    try:
        _sign_in(client, access)
        mailbox = Mailbox(client, access)
        if access.done_folder:
            _ensure_folder(client, access.done_folder)
        status, said = client.select(_quoted(access.folder))
        if status != "OK":
            raise MailboxTrouble(
                f"The folder {access.folder!r} cannot be opened in {access.where()} ({_said(said)}): check "
                "PUSTAKA_CONSULTATION_IMAP_FOLDER."
            )
        yield mailbox
    except (imaplib.IMAP4.error, OSError) as error:
        raise MailboxTrouble(f"The mail server {access.where()} broke off: {error}") from None
    finally:
        _close(client)


def _connect(access: MailboxAccess) -> imaplib.IMAP4:
    """Return a client connected over TLS as the access says (plain only to this machine)."""
    if access.tls == "none" and access.host not in LOOPBACK:
        raise MailboxTrouble(
            "PUSTAKA_CONSULTATION_IMAP_TLS=none is only for a mail server on this machine: use implicit or "
            "starttls."
        )
    context = access.ssl_context or ssl.create_default_context()
    try:
        if access.tls == "implicit":
            return imaplib.IMAP4_SSL(access.host, access.port, ssl_context=context, timeout=TIMEOUT_SECONDS)
        client = imaplib.IMAP4(access.host, access.port, timeout=TIMEOUT_SECONDS)
        if access.tls == "starttls":
            client.starttls(ssl_context=context)
        return client
    except ssl.SSLCertVerificationError as error:
        raise MailboxTrouble(
            f"The mail server {access.host}:{access.port} showed a certificate this machine does not trust "
            f"({error.verify_message}): use the server's real name in PUSTAKA_CONSULTATION_IMAP_HOST."
        ) from None
    except (ssl.SSLError, imaplib.IMAP4.error) as error:
        raise MailboxTrouble(
            f"TLS with {access.host}:{access.port} failed ({error}): port 993 takes implicit TLS, port 143 "
            "starttls; check PUSTAKA_CONSULTATION_IMAP_PORT and PUSTAKA_CONSULTATION_IMAP_TLS."
        ) from None
    except (OSError, socket.timeout) as error:
        raise MailboxTrouble(
            f"The mail server {access.host}:{access.port} cannot be reached ({error}): check "
            "PUSTAKA_CONSULTATION_IMAP_HOST and _PORT, and that this machine may connect to it."
        ) from None


def _sign_in(client: imaplib.IMAP4, access: MailboxAccess) -> None:
    """Sign in, or say the user name or password is refused."""
    try:
        client.login(access.user, access.password)
    except imaplib.IMAP4.error as error:
        raise MailboxTrouble(
            f"The mail server refused the sign-in of {access.user!r} ({error}): check "
            "PUSTAKA_CONSULTATION_IMAP_USER and PUSTAKA_CONSULTATION_IMAP_PASSWORD (an app password where "
            "the provider asks for one)."
        ) from None


def _ensure_folder(client: imaplib.IMAP4, folder: str) -> None:
    """Create the done folder when the mailbox does not have it yet."""
    status, found = client.list('""', _quoted(folder))
    if status == "OK" and any(item for item in found if item):
        return
    status, said = client.create(_quoted(folder))
    if status != "OK":
        raise MailboxTrouble(
            f"The folder {folder!r} for handled mail cannot be made ({_said(said)}): create it by hand or "
            "change PUSTAKA_CONSULTATION_IMAP_DONE_FOLDER."
        )


def _capabilities(client: imaplib.IMAP4) -> set[bytes]:
    """Return what the server says it can do (after sign-in)."""
    status, data = client.capability()
    return (
        set(b" ".join(d for d in data if isinstance(d, bytes)).upper().split()) if status == "OK" else set()
    )


def _close(client: imaplib.IMAP4) -> None:
    """Log out, ignoring a server that went away."""
    try:
        client.logout()
    except (imaplib.IMAP4.error, OSError):
        pass


def _quoted(folder: str) -> str:
    """Return a folder name as an IMAP quoted string."""
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _said(data: list) -> str:
    """Return the server's words in an answer."""
    return b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")

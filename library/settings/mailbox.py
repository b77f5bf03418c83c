"""The settings of the consultation mailbox: the office's PST address read over IMAP, an email channel.

Declared apart from the rest (`library.settings.Settings` inherits them); each is a PUSTAKA_*
variable like any other. An empty PUSTAKA_CONSULTATION_IMAP_HOST leaves the mailbox unread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from library.errors import SettingsError
from library.settings.declare import setting as _setting

IMAP_TLS_MODES = ("implicit", "starttls", "none")
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class MailboxSettings:
    """Where the office's consultation mailbox is, how to sign in, and how much one run takes."""

    consultation_imap_host: str = _setting(
        "",
        "IMAP server of the office's consultation mailbox (e.g. imap.bps.go.id): each email there opens "
        "or continues a consultation. Empty: the mailbox is not read.",
    )
    consultation_imap_port: int = _setting(993, "IMAP port: 993 for implicit TLS, 143 for STARTTLS.")
    consultation_imap_user: str = _setting("", "IMAP user name of the consultation mailbox.")
    consultation_imap_password: str = _setting(
        "", "IMAP password of the consultation mailbox (an app password where the provider asks for one)."
    )
    consultation_imap_folder: str = _setting("INBOX", "Folder read for new consultation email.")
    consultation_imap_tls: str = _setting(
        "implicit",
        "How the IMAP connection is secured: 'implicit' (TLS from the start, port 993), 'starttls' "
        "(port 143) or 'none' (only for a server on this machine: 127.0.0.1, ::1, localhost).",
    )
    consultation_imap_done_folder: str = _setting(
        "",
        "Folder handled email is moved to (made when missing), e.g. Pustaka. Empty: it stays in the "
        "folder, marked as read.",
    )
    consultation_imap_every_seconds: int = _setting(
        60, "Seconds between two reads of the consultation mailbox (by the job workers)."
    )
    consultation_imap_batch: int = _setting(20, "Emails taken from the mailbox at most in one read.")
    consultation_imap_max_mb: int = _setting(
        25,
        "Largest email taken, in megabytes (attachments included, as sent); a larger one is refused "
        "unread and its sender told so.",
    )
    consultation_mail_address: str = _setting(
        "",
        "Address of the consultation mailbox, which answers are sent from and replies go to. "
        "Empty: PUSTAKA_MAIL_FROM.",
    )


def check_mailbox(self: Any) -> None:
    """Refuse mailbox settings that cannot work."""
    if self.consultation_imap_tls not in IMAP_TLS_MODES:
        raise SettingsError(
            "PUSTAKA_CONSULTATION_IMAP_TLS must be 'implicit', 'starttls' or 'none', not '%(v)s'.",
            v=self.consultation_imap_tls,
        )
    if not self.consultation_imap_host:
        return
    if self.consultation_imap_tls == "none" and self.consultation_imap_host not in LOOPBACK_HOSTS:
        raise SettingsError(
            "PUSTAKA_CONSULTATION_IMAP_TLS=none sends the mailbox's password in clear: it is only allowed "
            "for a server on this machine, not %(v)s. Use implicit or starttls.",
            v=self.consultation_imap_host,
        )
    if not self.consultation_imap_user:
        raise SettingsError("PUSTAKA_CONSULTATION_IMAP_USER is needed to read the consultation mailbox.")
    if min(self.consultation_imap_every_seconds, self.consultation_imap_batch) < 1:
        raise SettingsError(
            "PUSTAKA_CONSULTATION_IMAP_EVERY_SECONDS and PUSTAKA_CONSULTATION_IMAP_BATCH must be at least 1."
        )
    if not 1 <= self.consultation_imap_max_mb <= 200:
        raise SettingsError(
            "PUSTAKA_CONSULTATION_IMAP_MAX_MB must be from 1 to 200, not %(v)s.",
            v=self.consultation_imap_max_mb,
        )

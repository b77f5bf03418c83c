"""One typed settings object, read from PUSTAKA_* environment variables at start-up.

Each setting is declared once, here or in a group's module, with its type, default and a one-line
description; docs/configuration.md's table is kept equal to the same list (tests/unit/test_readme.py).
A variable's text becomes its value in `library.settings.parsing`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from library.errors import SettingsError
from library.settings.backups import BackupSettings
from library.settings.checks import keep_policy, refuse_unworkable
from library.settings.collection import CollectionSettings, LabelSheet, label_sheet
from library.settings.declare import setting as _setting
from library.settings.front_office import FrontOfficeSettings
from library.settings.identifiers import IdentifierSettings
from library.settings.mailbox import MailboxSettings
from library.settings.observability import ObservabilitySettings
from library.settings.parsing import networks, parse_value
from library.settings.visitors import VisitorSettings

__all__ = ["LabelSheet", "Settings", "label_sheet"]

PREFIX = "PUSTAKA_"


@dataclass(frozen=True)
class Settings(CollectionSettings, MailboxSettings, FrontOfficeSettings, VisitorSettings, BackupSettings,
               IdentifierSettings, ObservabilitySettings):  # fmt: skip
    """Every deployment setting of Pustaka, with its default (those about visitors in VisitorSettings)."""

    instance_dir: Path = _setting(
        Path("instance"), "Folder holding the database, files, search index and secrets."
    )
    database_url: str = _setting("", "SQLAlchemy URL. Empty: SQLite (WAL) at INSTANCE_DIR/pustaka.sqlite3.")
    files_dir: str = _setting(
        "",
        "Folder of the content-addressed file store. Empty: INSTANCE_DIR/files. "
        "Several hosts: one folder every host mounts (written by temporary file and rename).",
    )
    secrets_dir: str = _setting(
        "",
        "Folder of the keys that sign sessions, form tokens, email links and stamped copies. "
        "Empty: INSTANCE_DIR/secrets. Several hosts: one folder every host reads (or a copy on each).",
    )
    redis_url: str = _setting(
        "",
        "Redis URL for the job queue and rate limits. "
        "Empty: SQLite queue in INSTANCE_DIR, limits in the database.",
    )
    search_engine: str = _setting(
        "auto",
        "Where the catalogue is searched: 'whoosh' (files in INSTANCE_DIR/search), 'postgres' (tables "
        "in the PostgreSQL database, written in the publication's own transaction) or 'auto': "
        "postgres on PostgreSQL, whoosh on SQLite.",
    )
    office: str = _setting("1872", "BPS code of the office this deployment serves.")
    base_url: str = _setting(
        "http://127.0.0.1:8000", "Public address of the site, used in emails and QR codes."
    )
    default_locale: str = _setting("id", "Language of pages when the visitor chose none (id or en).")
    mail_backend: str = _setting(
        "outbox", "How email leaves: 'outbox' (files in INSTANCE_DIR/outbox) or 'smtp'."
    )
    mail_from: str = _setting("pst@localhost", "Sender address of every email.")
    smtp_host: str = _setting("127.0.0.1", "SMTP server host (mail_backend=smtp).")
    smtp_port: int = _setting(25, "SMTP server port.")
    smtp_user: str = _setting("", "SMTP user name; empty for none.")
    smtp_password: str = _setting("", "SMTP password; empty for none.")
    smtp_starttls: bool = _setting(False, "Use STARTTLS on the SMTP connection.")
    hot_folder: str = _setting("", "Folder a scanner drops files into for ingest; empty: off.")
    hot_folder_settle_seconds: int = _setting(
        5, "A hot-folder file is taken once its size and time stayed unchanged this long."
    )
    max_upload_mb: int = _setting(
        512,
        "Largest file a signed-in librarian may upload (for ingest, a visitor's scan, or to trace), "
        "in megabytes. Every other request body is held to 256 KB.",
    )
    marc_import_max_mb: int = _setting(
        50, "Largest MARC file a librarian may import (desk or command line), in MB."
    )
    ingest_max_pages: int = _setting(5000, "Most pages a publication may have.")
    ocr_languages: str = _setting("ind+eng", "Tesseract languages for scanned pages.")
    ocr_dpi: int = _setting(300, "Resolution scanned pages are rendered at for OCR (at least 300).")
    ocr_processes: int = _setting(
        0, "Pages OCR'd in parallel by one job, one Tesseract thread each; 0: one per CPU core."
    )
    interactive_workers: int = _setting(
        2,
        "Job threads reserved for interactive work (a reader's copy) in each process consuming that lane.",
    )
    batch_workers: int = _setting(
        1, "Job threads for batch work (ingest and OCR, indexing) in each process consuming that lane."
    )
    batch_niceness: int = _setting(
        10, "How much lower batch processes (ingest, OCR) run than the site (nice, 0-19); 0: the same."
    )
    job_lease_seconds: int = _setting(
        120,
        "A job whose worker has not reported for this long is taken over by another "
        "(at once by a worker on the same machine, when the first worker's process has ended).",
    )
    per_page: int = _setting(20, "Publications per catalogue page.")
    reader_cache_mb: int = _setting(
        512,
        "Disk kept for the online reader's rendered pages (INSTANCE_DIR/page-cache), in megabytes; "
        "the least recently read go first. 0: no cache.",
    )
    request_daily_quota: int = _setting(5, "Softcopy requests one person may make per day.")
    request_monthly_quota: int = _setting(30, "Softcopy requests one person may make per calendar month.")
    request_sla_working_days: int = _setting(
        3, "Working days within which an online softcopy request is to be answered."
    )
    download_link_days: int = _setting(7, "Days a softcopy download link stays valid once the copy is ready.")
    download_cap: int = _setting(3, "Times a softcopy can be downloaded through its link.")
    consultation_reopen_days: int = _setting(
        14,
        "Days after a consultation is closed (by a consultant or after the user's silence) during which "
        "its user may reopen it; later they open a new one. 0: never reopened.",
    )
    office_closures: str = _setting(
        "",
        "Extra days the office is closed, besides weekends and national holidays: "
        "YYYY-MM-DD, comma-separated.",
    )
    send_file_header: str = _setting(
        "",
        "Let a reverse proxy send authorised files: "
        "'x-accel-redirect' (nginx), 'x-sendfile' (Apache), or empty.",
    )
    send_file_prefix: str = _setting(
        "/_files/", "Internal location the proxy maps to the file store's folder (x-accel-redirect only)."
    )
    terminal_idle_minutes: int = _setting(
        5,
        "A library terminal's session ends after this many minutes untouched "
        "(a warning shows one minute before).",
    )
    reader_pages_per_minute: int = _setting(
        120,
        "Page pictures one reader may take a minute in the online reader, after a first burst of "
        "40 (a script taking a whole publication is slowed to this; a person reading never is).",
    )
    rate_limit_attempts: int = _setting(
        10,
        "Failed sign-ins, registrations or reset requests allowed "
        "per client address and per email in the window.",
    )
    rate_limit_minutes: int = _setting(15, "Length of the rate-limit window, in minutes.")
    proxy_count: int = _setting(
        0, "Reverse proxies in front of Pustaka whose X-Forwarded-For/-Proto headers are trusted (0: none)."
    )
    proxy_addresses: str = _setting(
        "127.0.0.1,::1",
        "Addresses (IPs or networks, comma-separated) the trusted proxies connect from: forwarded "
        "headers of a request from anywhere else (straight to the app's port) are ignored.",
    )
    web_connections: int = _setting(
        500,
        "Open connections one web process keeps; at the limit it closes the longest idle ones "
        "first, so idle or trickling connections never shut new visitors out.",
    )
    web_idle_seconds: int = _setting(
        30,
        "Seconds a connection may stay idle (no request, or one that stopped arriving) before it is closed.",
    )
    keep_copies_days: int = _setting(
        30,
        "Days a stamped copy's file is kept after delivery; once past them and every link to it has "
        "expired or been used up, the workers delete it (the ledger keeps its row, hash and marks).",
    )
    keep_outbox_days: int = _setting(30, "Days an email written to the outbox (mail_backend=outbox) is kept.")
    kiosk_addresses: str = _setting(
        "",
        "Addresses of the front office's own tablets, for the guest book or the SKM survey (IPs or "
        "networks, comma-separated, e.g. 10.0.5.20,10.0.6.0/24): their guest-book entries have higher "
        "limits (60 an hour, 400 a day, against 20 in 10 minutes and 40 a day), so a group signs in "
        "one after another, and the many survey answers sent from them are not flagged.",
    )
    read_only: bool = _setting(
        False,
        "Read-only mode (a long backup, a move): visitors search, read and download copies already made; "
        "every form that would change something answers 503 with a notice.",
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from PUSTAKA_* variables, then apply explicit overrides."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            name = PREFIX + f.name.upper()
            if name in environ:
                values[f.name] = parse_value(name, environ[name], f.default)
        for key, value in overrides.items():
            if key not in {f.name for f in dataclasses.fields(cls)}:
                raise SettingsError("Unknown setting %(key)s.", key=key)
            values[key] = value
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Refuse combinations of values that cannot work (`library.settings.checks`)."""
        refuse_unworkable(self)

    @property
    def instance_path(self) -> Path:
        """Return the instance folder as an absolute path."""
        return Path(self.instance_dir).expanduser().resolve()

    @property
    def sqlalchemy_url(self) -> str:
        """Return the database URL, defaulting to SQLite in the instance folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.instance_path / 'pustaka.sqlite3'}"

    @functools.cached_property
    def proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """Return the networks the trusted reverse proxies connect from."""
        return networks("PUSTAKA_PROXY_ADDRESSES", self.proxy_addresses)

    @functools.cached_property
    def kiosk_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """Return the networks of the front office's own guest-book tablets."""
        return networks("PUSTAKA_KIOSK_ADDRESSES", self.kiosk_addresses)

    @property
    def search_in_database(self) -> bool:
        """Tell whether the catalogue is searched in PostgreSQL rather than in a Whoosh index."""
        if self.search_engine == "auto":
            return self.sqlalchemy_url.startswith("postgresql")
        return self.search_engine == "postgres"

    @property
    def closure_dates(self) -> frozenset[dt.date]:
        """Return the office's extra closed days."""
        days = set()
        for part in self.office_closures.split(","):
            if part.strip():
                try:
                    days.add(dt.date.fromisoformat(part.strip()))
                except ValueError:
                    raise SettingsError(
                        "PUSTAKA_OFFICE_CLOSURES holds '%(v)s', which is not a YYYY-MM-DD date.",
                        v=part.strip(),
                    ) from None
        return frozenset(days)

    @property
    def priority_codes(self) -> tuple[str, ...]:
        """Return the codes of the office's priority groups, in order (none: no priority service)."""
        return tuple(dict.fromkeys(c.strip() for c in self.priority_groups.split(",") if c.strip()))

    @property
    def effective_ocr_processes(self) -> int:
        """Return how many pages one job OCRs at a time."""
        return self.ocr_processes or max(os.cpu_count() or 1, 1)

    @property
    def files_path(self) -> Path:
        """Return the folder of the content-addressed file store."""
        if self.files_dir:
            return Path(self.files_dir).expanduser().resolve()
        return self.instance_path / "files"

    @property
    def secrets_path(self) -> Path:
        """Return the folder of the signing keys."""
        if self.secrets_dir:
            return Path(self.secrets_dir).expanduser().resolve()
        return self.instance_path / "secrets"

    @property
    def voice_path(self) -> Path:
        """Return the folder of the board's synthesized voice clips."""
        return Path(self.voice_dir).expanduser().resolve() if self.voice_dir else self.instance_path / "voice"

    @property
    def backup_path(self) -> Path:
        """Return the folder of the dated backups."""
        if self.backup_dir:
            return Path(self.backup_dir).expanduser().resolve()
        return self.instance_path / "backups"

    @property
    def backup_policy(self) -> dict[str, int]:
        """Return the retention policy: how many days, weeks, months (years) keep their newest backup."""
        return keep_policy(self.backup_keep)

    @property
    def page_cache_path(self) -> Path:
        """Return the folder of the reader's rendered pages."""
        return self.instance_path / "page-cache"

    @classmethod
    def documented(cls) -> list[tuple[str, str, str]]:
        """List (variable, default, description) for every setting."""
        rows = []
        own = cls.__annotations__  # the main settings first, then each group's, as the docs list them
        for f in sorted(dataclasses.fields(cls), key=lambda f: f.name not in own):
            default = f.default
            shown = (
                "" if default == "" else str(default).lower() if isinstance(default, bool) else str(default)
            )
            rows.append((PREFIX + f.name.upper(), shown, f.metadata["doc"]))
        return rows

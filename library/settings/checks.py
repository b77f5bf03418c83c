"""The checks a settings object passes when it is made: values that cannot work are refused at start-up."""

from __future__ import annotations

from typing import Any

from library.errors import SettingsError
from library.settings.collection import check_barcode_pattern
from library.settings.mailbox import check_mailbox
from library.settings.visitors import host_list, opening_hours

Settings = Any  # library.settings.Settings, which imports this module: named here, not imported

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# The priority groups Pustaka knows (`library.frontoffice.queue.priority`), and the board's voices.
PRIORITY_GROUPS = ("elderly", "disability", "pregnant", "toddler")


def refuse_unworkable(self: Settings) -> None:
    """Refuse combinations of values that cannot work."""
    self.check_identifiers()
    if self.mail_backend not in ("outbox", "smtp"):
        raise SettingsError(
            "PUSTAKA_MAIL_BACKEND must be 'outbox' or 'smtp', not '%(v)s'.", v=self.mail_backend
        )
    if self.default_locale not in ("id", "en"):
        raise SettingsError(
            "PUSTAKA_DEFAULT_LOCALE must be 'id' or 'en', not '%(v)s'.", v=self.default_locale
        )
    if self.ocr_dpi < 300:
        raise SettingsError("PUSTAKA_OCR_DPI must be at least 300, not %(v)s.", v=self.ocr_dpi)
    if self.job_lease_seconds < 3:
        raise SettingsError(
            "PUSTAKA_JOB_LEASE_SECONDS must be at least 3, not %(v)s.", v=self.job_lease_seconds
        )
    if min(self.interactive_workers, self.batch_workers) < 1:
        raise SettingsError("PUSTAKA_INTERACTIVE_WORKERS and PUSTAKA_BATCH_WORKERS must be at least 1.")
    if not 0 <= self.batch_niceness <= 19:
        raise SettingsError("PUSTAKA_BATCH_NICENESS must be from 0 to 19, not %(v)s.", v=self.batch_niceness)
    if self.rate_limit_attempts < 1 or self.rate_limit_minutes < 1:
        raise SettingsError("PUSTAKA_RATE_LIMIT_ATTEMPTS and PUSTAKA_RATE_LIMIT_MINUTES must be at least 1.")
    if not 10 <= self.web_connections <= 10000 or not 5 <= self.web_idle_seconds <= 3600:
        raise SettingsError(
            "PUSTAKA_WEB_CONNECTIONS must be from 10 to 10000, PUSTAKA_WEB_IDLE_SECONDS from 5 to 3600."
        )
    if min(self.keep_copies_days, self.keep_outbox_days, self.usage_keep_events_months) < 1:
        raise SettingsError(
            "PUSTAKA_KEEP_COPIES_DAYS, PUSTAKA_KEEP_OUTBOX_DAYS and PUSTAKA_USAGE_KEEP_EVENTS_MONTHS "
            "must be at least 1."
        )
    if self.send_file_header not in ("", "x-accel-redirect", "x-sendfile"):
        raise SettingsError(
            "PUSTAKA_SEND_FILE_HEADER must be empty, 'x-accel-redirect' or 'x-sendfile', not '%(v)s'.",
            v=self.send_file_header,
        )
    _check_search_engine(self)
    _check_counts(self)
    _check_log_level(self)
    _ = self.closure_dates  # refuses a badly written date now, not at the first request
    _ = self.kiosk_networks, self.proxy_networks, self.metrics_networks
    _check_operations(self)
    _check_phone(self)
    _check_queue(self)
    _check_voice(self)
    _check_backups(self)
    check_mailbox(self)
    if not (self.office.isdigit() and len(self.office) == 4):
        raise SettingsError(
            "PUSTAKA_OFFICE must be a 4-digit BPS region code such as 1872, not '%(v)s'.",
            v=self.office,
        )
    check_barcode_pattern(self.item_barcode_pattern, self.office)


def _check_search_engine(self: Settings) -> None:
    """Refuse an unknown search engine, and PostgreSQL's engine without a PostgreSQL database."""
    if self.search_engine not in ("auto", "whoosh", "postgres"):
        raise SettingsError(
            "PUSTAKA_SEARCH_ENGINE must be 'auto', 'whoosh' or 'postgres', not '%(v)s'.",
            v=self.search_engine,
        )
    if self.search_engine == "postgres" and not self.sqlalchemy_url.startswith("postgresql"):
        raise SettingsError(
            "PUSTAKA_SEARCH_ENGINE=postgres needs a PostgreSQL database (PUSTAKA_DATABASE_URL)."
        )


def _check_log_level(self: Settings) -> None:
    """Refuse a log level that is none of the four."""
    if self.log_level.upper() not in LOG_LEVELS:
        raise SettingsError(
            "PUSTAKA_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not '%(v)s'.", v=self.log_level
        )


def _check_counts(self: Settings) -> None:
    """Refuse counts of days, minutes or downloads that are out of range."""
    if (
        min(
            self.download_cap,
            self.download_link_days,
            self.request_daily_quota,
            self.request_monthly_quota,
            self.reader_pages_per_minute,
        )
        < 1
    ):
        raise SettingsError(
            "PUSTAKA_DOWNLOAD_CAP, PUSTAKA_DOWNLOAD_LINK_DAYS, the request quotas and "
            "PUSTAKA_READER_PAGES_PER_MINUTE must be at least 1."
        )
    if self.terminal_idle_minutes < 1:
        raise SettingsError(
            "PUSTAKA_TERMINAL_IDLE_MINUTES must be at least 1, not %(v)s.", v=self.terminal_idle_minutes
        )
    if self.consultation_reopen_days < 0:
        raise SettingsError(
            "PUSTAKA_CONSULTATION_REOPEN_DAYS must be 0 or more, not %(v)s.",
            v=self.consultation_reopen_days,
        )


def _check_operations(self: Settings) -> None:
    """Refuse readiness and alert limits out of range."""
    if self.ready_min_free_mb < 0 or self.ready_queue_minutes < 1 or self.alert_every_minutes < 0:
        raise SettingsError(
            "PUSTAKA_READY_MIN_FREE_MB and PUSTAKA_ALERT_EVERY_MINUTES must be 0 or more, "
            "PUSTAKA_READY_QUEUE_MINUTES at least 1."
        )


def _check_phone(self: Settings) -> None:
    """Refuse a phone channel that is unknown or lacks what it needs to send."""
    if self.phone_channel not in ("", "gateway", "whatsapp"):
        raise SettingsError(
            "PUSTAKA_PHONE_CHANNEL must be empty, 'gateway' or 'whatsapp', not '%(v)s'.", v=self.phone_channel
        )
    if self.phone_channel == "gateway" and not self.phone_gateway_url.startswith(("http://", "https://")):
        raise SettingsError("PUSTAKA_PHONE_CHANNEL=gateway needs PUSTAKA_PHONE_GATEWAY_URL (http or https).")
    if self.phone_channel == "whatsapp" and not (self.whatsapp_phone_number_id and self.whatsapp_token):
        raise SettingsError(
            "PUSTAKA_PHONE_CHANNEL=whatsapp needs PUSTAKA_WHATSAPP_PHONE_NUMBER_ID and "
            "PUSTAKA_WHATSAPP_TOKEN."
        )
    if self.phone_max_per_hour < 1:
        raise SettingsError("PUSTAKA_PHONE_MAX_PER_HOUR must be at least 1.")
    whatsapp_templates(self.whatsapp_templates)  # refuses a badly written list now
    if self.web_push and not host_list(self.web_push_hosts):
        raise SettingsError("PUSTAKA_WEB_PUSH=1 needs PUSTAKA_WEB_PUSH_HOSTS: the push services it sends to.")
    if self.web_push_contact and not self.web_push_contact.startswith(("mailto:", "https://")):
        raise SettingsError(
            "PUSTAKA_WEB_PUSH_CONTACT must start with mailto: or https://, not '%(v)s'.",
            v=self.web_push_contact,
        )
    _check_appointments(self)


MESSAGE_KINDS = ("called", "two_ahead", "scan_ready", "survey", "answered", "reply")
# A kind added after offices set their templates has a default name, so an upgrade never refuses to start.
# "reply": a WhatsApp consultation's answer waits outside the 24-hour window; it invites a reply.
LATER_KINDS = {"answered": "pst_konsultasi_dijawab", "reply": "pst_konsultasi_balasan"}


def whatsapp_templates(text: str) -> dict[str, str]:
    """Return PUSTAKA_WHATSAPP_TEMPLATES as kind: template name; refuse a kind missing or unknown."""
    names: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        kind, _, name = (piece.strip() for piece in pair.partition("="))
        if kind not in MESSAGE_KINDS or not name:
            raise SettingsError(
                "PUSTAKA_WHATSAPP_TEMPLATES: '%(pair)s' is not kind=template_name (kinds: %(kinds)s).",
                pair=pair,
                kinds=", ".join(MESSAGE_KINDS),
            )
        names[kind] = name
    for kind, name in LATER_KINDS.items():
        names.setdefault(kind, name)
    missing = [kind for kind in MESSAGE_KINDS if kind not in names]
    if missing:
        raise SettingsError(
            "PUSTAKA_WHATSAPP_TEMPLATES names no template for %(kinds)s.", kinds=", ".join(missing)
        )
    return names


def _check_appointments(self: Settings) -> None:
    """Refuse appointment hours that cannot be read, and slots, seats or days out of range."""
    opening_hours(self.appointment_hours)
    if not 5 <= self.appointment_slot_minutes <= 240 or self.appointment_capacity < 1:
        raise SettingsError(
            "PUSTAKA_APPOINTMENT_SLOT_MINUTES must be from 5 to 240, PUSTAKA_APPOINTMENT_CAPACITY at least 1."
        )
    if not 1 <= self.appointment_days_ahead <= 90 or self.appointment_grace_minutes < 0:
        raise SettingsError(
            "PUSTAKA_APPOINTMENT_DAYS_AHEAD must be from 1 to 90, "
            "PUSTAKA_APPOINTMENT_GRACE_MINUTES at least 0."
        )


def _check_queue(self: Settings) -> None:
    """Refuse an unknown priority group, or a streak below 1."""
    unknown = [code for code in self.priority_codes if code not in PRIORITY_GROUPS]
    if unknown or self.priority_streak < 1:
        raise SettingsError(
            "PUSTAKA_PRIORITY_GROUPS must name groups among %(known)s (not '%(v)s'), "
            "PUSTAKA_PRIORITY_STREAK be at least 1.",
            known=", ".join(PRIORITY_GROUPS),
            v=", ".join(unknown),
        )


def _check_voice(self: Settings) -> None:
    """Refuse a way of reading ticket numbers, or of speaking English, the board does not know."""
    if self.voice_numbers not in ("whole", "digits") or self.voice_english not in ("after", "only"):
        raise SettingsError(
            "PUSTAKA_VOICE_NUMBERS must be 'whole' or 'digits' (not '%(n)s'), "
            "PUSTAKA_VOICE_ENGLISH 'after' or 'only' (not '%(e)s').",
            n=self.voice_numbers,
            e=self.voice_english,
        )


def _check_backups(self: Settings) -> None:
    """Refuse a retention policy that cannot be read, and encryption without a key."""
    keep_policy(self.backup_keep)
    if self.backup_encrypt and not self.backup_key_file:
        raise SettingsError("PUSTAKA_BACKUP_ENCRYPT needs the key it encrypts with: PUSTAKA_BACKUP_KEY_FILE.")


KEEP_RULES = ("daily", "weekly", "monthly", "yearly")


def keep_policy(text: str) -> dict[str, int]:
    """Read "daily=7,weekly=4,monthly=12"; refuse an unknown rule or a count that is not a number."""
    policy: dict[str, int] = {}
    for part in text.split(","):
        rule, _, count = part.strip().partition("=")
        if not part.strip():
            continue
        if rule.strip() not in KEEP_RULES or not count.strip().isdigit():
            raise SettingsError(
                "PUSTAKA_BACKUP_KEEP holds '%(part)s': write rules such as daily=7,weekly=4,monthly=12 "
                "(daily, weekly, monthly, yearly).",
                part=part.strip(),
            )
        policy[rule.strip()] = int(count)
    return policy

"""The consultation mailbox's settings: refused when they cannot work, named in the message."""

from __future__ import annotations

import pytest

from library.consultation.by_email import mailbox_job
from library.errors import SettingsError
from library.settings import Settings

MAILBOX = {"PUSTAKA_CONSULTATION_IMAP_HOST": "imap.bps.example.id", "PUSTAKA_CONSULTATION_IMAP_USER": "pst"}


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"PUSTAKA_CONSULTATION_IMAP_TLS": "ssl"}, "must be 'implicit', 'starttls' or 'none', not 'ssl'"),
        ({**MAILBOX, "PUSTAKA_CONSULTATION_IMAP_TLS": "none"}, "only allowed for a server on this machine"),
        (
            {"PUSTAKA_CONSULTATION_IMAP_HOST": "imap.bps.example.id"},
            "PUSTAKA_CONSULTATION_IMAP_USER is needed",
        ),
        ({**MAILBOX, "PUSTAKA_CONSULTATION_IMAP_BATCH": "0"}, "must be at least 1"),
        ({**MAILBOX, "PUSTAKA_CONSULTATION_IMAP_MAX_MB": "0"}, "from 1 to 200"),
    ],
)
def test_mailbox_settings_that_cannot_work_are_refused(values: dict[str, str], words: str) -> None:
    with pytest.raises(SettingsError, match=words):
        Settings.from_env(values)


def test_plain_imap_is_allowed_to_this_machine() -> None:
    settings = Settings.from_env(
        {**MAILBOX, "PUSTAKA_CONSULTATION_IMAP_HOST": "127.0.0.1", "PUSTAKA_CONSULTATION_IMAP_TLS": "none"}
    )
    assert settings.consultation_imap_tls == "none"


def test_the_job_knows_every_address_of_the_office_as_its_own() -> None:
    settings = Settings.from_env(
        {
            **MAILBOX,
            "PUSTAKA_MAIL_FROM": "Pustaka <noreply@bps.example.id>",
            "PUSTAKA_CONSULTATION_MAIL_ADDRESS": "PST <PST1872@bps.example.id>",
            "PUSTAKA_CONSULTATION_IMAP_MAX_MB": "10",
        }
    )
    job = mailbox_job(settings)
    assert job is not None
    assert job.own_addresses == {"noreply@bps.example.id", "pst1872@bps.example.id"}
    assert job.max_bytes == 10 * 1024 * 1024 and job.access.port == 993 and job.access.tls == "implicit"
    assert mailbox_job(Settings.from_env({})) is None

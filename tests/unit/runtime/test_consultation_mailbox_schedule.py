"""The job workers read the consultation mailbox once per interval in each process, only when one is set."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import runtime.consultation_mailbox as module
from library.settings import Settings
from runtime.consultation_mailbox import MailboxSchedule

MAILBOX = {"consultation_imap_host": "imap.bps.example.id", "consultation_imap_user": "pst"}


@dataclass
class Host:
    settings: Settings


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record each read of the mailbox instead of signing in, on a clock the test moves."""
    done: list[object] = []
    monkeypatch.setattr(module, "read_consultation_mailbox", lambda rt: done.append(rt) or "run")
    return done


def test_the_mailbox_is_read_at_most_once_an_interval(
    monkeypatch: pytest.MonkeyPatch, reads: list[object]
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(module.time, "monotonic", lambda: clock[0])
    host = Host(Settings.from_env({}, consultation_imap_every_seconds=60, **MAILBOX))
    schedule = MailboxSchedule()
    assert schedule.read_if_due(host) == "run"  # type: ignore[arg-type]
    clock[0] += 59
    assert schedule.read_if_due(host) is None  # type: ignore[arg-type]
    clock[0] += 1
    assert schedule.read_if_due(host) == "run"  # type: ignore[arg-type]
    assert len(reads) == 2


def test_no_mailbox_set_means_no_read(reads: list[object]) -> None:
    assert MailboxSchedule().read_if_due(Host(Settings.from_env({}))) is None  # type: ignore[arg-type]
    assert reads == []

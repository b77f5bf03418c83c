"""`pustaka check`'s line about the queue: its priority groups and the calling rule's limits."""

from __future__ import annotations

from cli.check_result import Check
from library.settings import Settings


def check_queue(settings: Settings) -> Check:
    """Say how the queue gives priority (refused values stop start-up already)."""
    groups = ", ".join(settings.priority_codes) or "none (PUSTAKA_PRIORITY_GROUPS is empty)"
    detail = (
        f"priority groups: {groups}; a regular ticket after {settings.priority_streak} priority calls "
        f"or {settings.priority_margin_minutes} min before its target"
    )
    return Check("queue priority", True, detail)

"""`pustaka check` says how the queue gives priority."""

from __future__ import annotations

from cli.check_queue import check_queue
from library.settings import Settings


def test_the_queue_line_names_the_groups_and_the_limits() -> None:
    line = check_queue(Settings.from_env({}, priority_streak=3))
    assert line.ok and line.name == "queue priority"
    assert "elderly, disability, pregnant, toddler" in line.detail and "after 3 priority calls" in line.detail


def test_the_queue_line_says_when_there_is_no_priority_service() -> None:
    line = check_queue(Settings.from_env({}, priority_groups=""))
    assert "none (PUSTAKA_PRIORITY_GROUPS is empty)" in line.detail

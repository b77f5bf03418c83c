"""`pustaka check` says how the queue gives priority and what the board says."""

from __future__ import annotations

from library.settings import Settings
from webapp.cli.check import check_queue


def test_the_queue_line_names_the_groups_the_limits_and_the_voice() -> None:
    line = check_queue(Settings.from_env({}, priority_streak=3, board_voice="id+en:digits"))
    assert line.ok and line.name == "queue priority and voice"
    assert "elderly, disability, pregnant, toddler" in line.detail and "after 3 priority calls" in line.detail
    assert "board voice: id+en, numbers digits" in line.detail


def test_the_queue_line_says_when_there_is_no_priority_service_and_no_voice() -> None:
    line = check_queue(Settings.from_env({}, priority_groups="", board_voice="off"))
    assert "none (PUSTAKA_PRIORITY_GROUPS is empty)" in line.detail and "chime only" in line.detail

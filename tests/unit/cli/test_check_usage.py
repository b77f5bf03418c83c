"""`pustaka check` names the robots list in use, and says so when the office's copy cannot be read."""

from __future__ import annotations

from pathlib import Path

from cli.check_usage import check_usage
from library.settings import Settings
from library.usage.robots import INSTANCE_FILE


def test_the_shipped_list_is_named_with_its_patterns(tmp_path: Path) -> None:
    line = check_usage(Settings.from_env({}, instance_dir=tmp_path))
    assert line.ok and "the one shipped" in line.detail and "staff only" in line.detail


def test_a_broken_copy_is_a_failed_line_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / INSTANCE_FILE).write_text("[{")
    line = check_usage(Settings.from_env({}, instance_dir=tmp_path, usage_public=True))
    assert not line.ok and "pustaka usage robots" in line.hint

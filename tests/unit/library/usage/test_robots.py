"""Robots by the COUNTER-Robots list shipped with Pustaka, and the office's refreshed copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from library.errors import InvalidInput
from library.usage.robots import do_replace_robots, load_robots

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def test_the_shipped_list_knows_googlebot_and_not_a_browser(tmp_path: Path) -> None:
    robots = load_robots(tmp_path)
    assert len(robots.patterns) > 300
    assert robots.is_robot(GOOGLEBOT) and robots.is_robot("curl/8.5.0") and robots.is_robot("")
    assert not robots.is_robot(CHROME) and not robots.is_robot(ANDROID)


def test_a_refreshed_list_replaces_the_shipped_one_for_the_instance(tmp_path: Path) -> None:
    source = tmp_path / "list.json"
    source.write_text(json.dumps([{"pattern": "Chrome/120", "last_changed": "2026-11-01"}]))
    assert do_replace_robots(tmp_path, source) == 1
    robots = load_robots(tmp_path)
    assert robots.is_robot(CHROME) and not robots.is_robot(GOOGLEBOT)


@pytest.mark.parametrize("text", ["{}", "[]", '[{"pattern": "(unclosed"}]', "not json"])
def test_a_list_that_is_not_one_is_refused_and_the_old_one_kept(tmp_path: Path, text: str) -> None:
    source = tmp_path / "list.json"
    source.write_text(text)
    with pytest.raises(InvalidInput):
        do_replace_robots(tmp_path, source)
    assert load_robots(tmp_path).is_robot(GOOGLEBOT)

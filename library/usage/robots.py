"""Known robots, by the COUNTER-Robots list: their usage is never counted (COUNTER R5, section 7.8).

The list is data (`catalog_data/counter_robots.json`, MIT, as published by COUNTER with its
patterns, regular expressions matched anywhere in a request's User-Agent, case aside). An office
refreshes it from a newer copy with `pustaka usage robots --from FILE`, which checks every
pattern and keeps the copy in the instance folder; nothing is fetched at run time.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

import catalog_data
from library.errors import InvalidInput
from library.i18n import N_

VENDORED = Path(catalog_data.__file__).parent / "counter_robots.json"
INSTANCE_FILE = "counter-robots.json"  # the office's refreshed copy, in the instance folder


class Robots:
    """The robots' patterns, matched against a User-Agent as one expression."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        self._expression = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        self.is_robot = lru_cache(maxsize=16384)(self._matches)  # a new User-Agent costs about 1 ms

    def _matches(self, user_agent: str) -> bool:
        """Tell whether a User-Agent is a known robot's (an empty one is: COUNTER lists `^.?$`)."""
        return self._expression.search(user_agent) is not None


def parse_robots(text: str) -> tuple[str, ...]:
    """Return the patterns of a COUNTER-Robots JSON list; refuse a list that is not one."""
    try:
        entries = json.loads(text)
        patterns = tuple(str(entry["pattern"]) for entry in entries)
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidInput(N_("This is not a COUNTER-Robots list: %(reason)s"), reason=str(exc)) from exc
    if not patterns:
        raise InvalidInput(N_("This is not a COUNTER-Robots list: %(reason)s"), reason="no patterns")
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise InvalidInput(
                N_("The robots list's pattern %(pattern)s is not a regular expression: %(reason)s"),
                pattern=pattern,
                reason=str(exc),
            ) from exc
    return patterns


def load_robots(instance_path: Path) -> Robots:
    """Return the office's robots list: its refreshed copy if any, else the one shipped."""
    refreshed = instance_path / INSTANCE_FILE
    source = refreshed if refreshed.is_file() else VENDORED
    return Robots(parse_robots(source.read_text(encoding="utf-8")))


def do_replace_robots(instance_path: Path, source: Path) -> int:
    """Check a COUNTER-Robots list and keep it as the office's; return how many patterns it holds."""
    text = source.read_text(encoding="utf-8")
    patterns = parse_robots(text)
    target = instance_path / INSTANCE_FILE
    partial = target.with_suffix(".tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)
    return len(patterns)

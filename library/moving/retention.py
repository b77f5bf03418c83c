"""Which backups a folder keeps: the newest of each of the last N days, N ISO weeks and N months.

The policy is the admin's (PUSTAKA_BACKUP_KEEP, e.g. "daily=7,weekly=4,monthly=12"), applied
after every good backup and by `pustaka backup --prune`. As with borg and restic, "the last N
days" are the last N days *that have a backup*: a machine that was off for a fortnight still
keeps its seven newest days. The newest finished backup is always kept, whatever the policy
says; a backup still being written (no manifest yet) is left alone for a day, and removed after
(a run that died). Folders that are not Pustaka backups are never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"
STARTED = ".pustaka-backup"  # written first into every backup folder: when it was started
UNFINISHED_GRACE = dt.timedelta(days=1)
RULES: dict[str, Callable[[dt.datetime], tuple[int, ...]]] = {
    "daily": lambda t: (t.year, t.month, t.day),
    "weekly": lambda t: tuple(t.isocalendar())[:2],
    "monthly": lambda t: (t.year, t.month),
    "yearly": lambda t: (t.year,),
}


@dataclass(frozen=True)
class Found:
    """A backup folder as found in the backup folder: when it was made, and whether it was finished."""

    path: Path
    made_at: dt.datetime
    finished: bool


@dataclass
class Decision:
    """What pruning keeps (each with the rules that keep it) and what it removes."""

    kept: dict[Path, list[str]] = field(default_factory=dict)
    removed: list[Path] = field(default_factory=list)


def find_backups(folder: Path) -> list[Found]:
    """Return the Pustaka backups in a folder, finished or not, newest first."""
    found = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        made_at = _made_at(path)
        if made_at is not None:
            found.append(Found(path, made_at, (path / MANIFEST).is_file()))
    return sorted(found, key=lambda f: f.made_at, reverse=True)


def decide(
    found: list[Found], policy: dict[str, int], now: dt.datetime, zone: dt.tzinfo = dt.UTC
) -> Decision:
    """Decide which backups the policy keeps (newest first) and which go."""
    decision = Decision()
    finished = [f for f in found if f.finished]
    for rule, count in policy.items():
        seen: set[tuple[int, ...]] = set()
        for backup in finished:
            period = RULES[rule](backup.made_at.astimezone(zone))
            if period in seen:
                continue
            if len(seen) == count:
                break
            seen.add(period)
            decision.kept.setdefault(backup.path, []).append(rule)
    if finished:
        decision.kept.setdefault(finished[0].path, []).append("newest")
    for backup in found:
        if not backup.finished and now - backup.made_at < UNFINISHED_GRACE:
            decision.kept[backup.path] = ["being written"]
        elif backup.path not in decision.kept:
            decision.removed.append(backup.path)
    return decision


def prune(folder: Path, policy: dict[str, int], now: dt.datetime, zone: dt.tzinfo = dt.UTC) -> Decision:
    """Remove the backups the policy does not keep; return what was kept and removed."""
    decision = decide(find_backups(folder), policy, now, zone)
    for path in decision.removed:
        shutil.rmtree(path)
    return decision


def _made_at(path: Path) -> dt.datetime | None:
    """Return when a backup folder was made (its manifest) or started (its marker); None: not a backup."""
    if not path.is_dir():
        return None
    try:
        if (path / MANIFEST).is_file():
            return dt.datetime.fromisoformat(json.loads((path / MANIFEST).read_text())["made_at"])
        if (path / STARTED).is_file():
            return dt.datetime.fromisoformat((path / STARTED).read_text().strip())
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None

"""The baseline a benchmark measures beside this tree: an earlier revision's own code, checked out apart.

A baseline rewritten inside this tree ("the old way", re-typed) measures what its author remembered,
not what shipped. Here the baseline is a git worktree of the revision itself (by default the previous
release: the commit before this release's version was set), removed at the end, whose code a child
process runs with that tree first on its path.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout


def _version_set(version: str) -> str:
    """Return the commit that set pyproject's version to `version` (the oldest one saying it)."""
    commits = _git("log", "--format=%H", "-S", f'version = "{version}"', "--", "pyproject.toml").split()
    if not commits:
        raise SystemExit(f"no commit sets version {version}: give --baseline a revision")
    return commits[-1]


def _version_at(revision: str) -> str:
    found = re.search(r'^version = "([^"]+)"', _git("show", f"{revision}:pyproject.toml"), re.M)
    if found is None:
        raise SystemExit(f"pyproject.toml names no version at {revision}: give --baseline a revision")
    return found.group(1)


def previous_release() -> str:
    """Return the previous release's commit: the one that set the version before this one.

    A release's version is set when its work is done, so the commit setting it is that release.
    """
    this = _version_set(_version_at("HEAD"))
    return _git("rev-parse", "--short", _version_set(_version_at(f"{this}^"))).strip()


@contextmanager
def checked_out(revision: str) -> Iterator[Path]:
    """Check the revision out beside this tree for the block's length; yield its folder."""
    folder = Path(tempfile.mkdtemp(prefix="pustaka-baseline-")) / "tree"
    _git("worktree", "add", "--detach", str(folder), revision)
    try:
        yield folder
    finally:
        _git("worktree", "remove", "--force", str(folder))
        folder.parent.rmdir()


def run_in(tree: Path, script: Path, *args: str) -> str:
    """Run a benchmark script's child mode with `tree`'s packages first on the path; return its output."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, str(script), "--child", *args], cwd=tree, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"the run in {tree} failed:\n{done.stderr.strip()}")
    return done.stdout

"""What an instance holds (database, secrets, outbox with live links) is for its owner only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def pustaka(instance: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the pustaka command on an instance, as an operator would."""
    env = {**os.environ, "PUSTAKA_INSTANCE_DIR": str(instance), "PUSTAKA_DATABASE_URL": ""}
    return subprocess.run(
        [sys.executable, "-c", "from cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=300,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_instance_is_made_for_its_owner_only(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    done = pustaka(instance, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert mode(instance) == 0o700
    assert mode(instance / "pustaka.sqlite3") & 0o077 == 0


def test_an_instance_made_open_before_is_closed_to_other_users(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)
    assert pustaka(instance, "db", "upgrade").returncode == 0
    assert mode(instance) == 0o700

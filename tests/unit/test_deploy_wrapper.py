"""The shipped `/usr/local/bin/pustaka` wrapper (deploy/pustaka), run with recording stand-ins.

The settings file is root:pustaka 0640, so an administrator's own shell cannot read it: the wrapper
must switch to the pustaka user first (sudo for an administrator, runuser for root) and read the
file after. Fake `id`, `sudo` and `runuser` on the PATH record what they were asked, and the
settings file records when it is read: the log shows the switch came first.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
WRAPPER = Path(__file__).resolve().parents[2] / "deploy" / "pustaka"

FAKE_ID = """#!/bin/sh
[ "$1" = -un ] && echo "$FAKE_USER"
"""
# `sudo -u pustaka -- CMD...` / `runuser -u pustaka -- CMD...`: note the switch, then run CMD.
FAKE_SWITCH = """#!/bin/sh
echo "$(basename "$0") $*" >> "$LOG"
[ "$1" = -u ] && [ "$2" = pustaka ] && [ "$3" = -- ] || exit 97
shift 3
exec "$@"
"""
# Run with a clean environment (no $LOG): the test writes the log's path in.
FAKE_PUSTAKA = """#!/bin/sh
echo "pustaka ran with $# words:" >> LOG
for word in "$@"; do echo "  [$word]" >> LOG; done
echo "PUSTAKA_OFFICE=$PUSTAKA_OFFICE HOME=$HOME" >> LOG
"""


def _executable(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


@pytest.fixture
def wrapper(tmp_path: Path) -> Path:
    """Return the shipped wrapper, its settings file and program swapped for the test's, fakes on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _executable(bin_dir / "id", FAKE_ID)
    _executable(bin_dir / "sudo", FAKE_SWITCH)
    _executable(bin_dir / "runuser", FAKE_SWITCH)
    program = _executable(tmp_path / "pustaka-program", FAKE_PUSTAKA.replace("LOG", str(tmp_path / "log")))
    settings = tmp_path / "pustaka.env"
    settings.write_text(f'echo "settings read" >> {tmp_path / "log"}\nPUSTAKA_OFFICE=1872\n')
    settings.chmod(0o640)
    text = WRAPPER.read_text()
    assert text.count("/etc/pustaka/pustaka.env") == 1 and text.count("/opt/pustaka/.venv/bin/pustaka") == 1
    text = text.replace("/etc/pustaka/pustaka.env", str(settings))
    text = text.replace("/opt/pustaka/.venv/bin/pustaka", str(program))
    text = text.replace("PATH=/usr/local/bin:/usr/bin:/bin", f"PATH={bin_dir}:/usr/bin:/bin")
    return _executable(tmp_path / "wrapper", text)


def _run(wrapper: Path, user: str, *args: str) -> list[str]:
    """Run the wrapper as if `user` typed it; return the log of what happened, in order."""
    log = wrapper.parent / "log"
    env = {
        "PATH": f"{wrapper.parent / 'bin'}:/usr/bin:/bin",
        "FAKE_USER": user,
        "LOG": str(log),
        "HOME": "/home/admin",
    }
    done = subprocess.run([str(wrapper), *args], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return log.read_text().splitlines()


def test_an_administrator_switches_with_sudo_before_the_settings_are_read(wrapper: Path) -> None:
    log = _run(wrapper, "admin", "users", "create", "--name", "Admin PST")
    assert log[0].startswith("sudo -u pustaka -- env -i ")  # the switch first ...
    assert log[1] == "settings read"  # ... then the settings, as pustaka
    assert log[2:] == [
        "pustaka ran with 4 words:",
        "  [users]",
        "  [create]",
        "  [--name]",
        "  [Admin PST]",  # a word with a space stays one word
        "PUSTAKA_OFFICE=1872 HOME=/var/lib/pustaka",
    ]


def test_root_switches_with_runuser_and_the_pustaka_user_runs_the_command_itself(wrapper: Path) -> None:
    log = _run(wrapper, "root", "check")
    assert log[0].startswith("runuser -u pustaka -- env -i ") and log[1] == "settings read"
    (wrapper.parent / "log").unlink()
    log = _run(wrapper, "pustaka", "check")
    assert log[0] == "settings read" and not any(line.startswith(("sudo", "runuser")) for line in log)
    assert log[-1] == "PUSTAKA_OFFICE=1872 HOME=/var/lib/pustaka"

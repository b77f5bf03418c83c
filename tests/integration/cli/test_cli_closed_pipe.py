"""`pustaka ... | head -1`: a command whose reader has gone ends quietly, with no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cli import main
from library.settings import Settings
from runtime.root import Runtime

ROOT = Path(__file__).resolve().parents[3]


def test_a_command_writing_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance")
    assert CliRunner().invoke(main, ["db", "upgrade"], obj=Runtime(settings)).exit_code == 0
    reader, writer = os.pipe()
    os.close(reader)  # as `head -1` does once it has its line: the command's next write finds no reader
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from cli import main; main()", "check-index"],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PUSTAKA_INSTANCE_DIR": str(tmp_path / "instance"), "PYTHONPATH": str(ROOT)},
            timeout=120,
        )
    finally:
        os.close(writer)
    assert done.stderr == ""
    assert done.returncode == 141  # as a shell reports a process ended by SIGPIPE
    assert not (tmp_path / "instance" / "logs" / "pustaka-errors.log").exists()

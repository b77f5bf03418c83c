"""Functions that batch children and their parents run in the job tests (importable by spawn)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from library.settings import Settings
from runtime.batch_child import run_in_child


def sleeper(settings: Settings, pid_file: str) -> None:
    """Write this process's id, then wait as a long OCR would."""
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(120)


def parent_of_a_sleeper(settings: Settings, pid_file: str) -> None:
    """Start a batch child that sleeps, and wait for it (as a job process waits for an ingest)."""
    run_in_child(sleeper, settings, pid_file, niceness=0)

"""The last guard of every command: an unexpected error becomes one line, its details a log file.

Domain and database errors already become one clear line where they happen (`clear_errors`).
Anything else is a bug or a broken installation: the person at the terminal gets one line
saying what broke and where the details are, the administrator gets the traceback in the
instance's log folder, and the exit code is 70 (EX_SOFTWARE in sysexits.h).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path

from library.errors import PustakaError
from library.settings import Settings

EXIT_UNEXPECTED = 70
EXIT_CLOSED_PIPE = 128 + 13  # as a shell says a process ended by SIGPIPE
LOG_NAME = "pustaka-errors.log"
MAX_SUMMARY = 200


def crash_log_folder(instance_path: Path | None) -> Path:
    """Return the folder the details go to: the instance's logs, else the temporary folder."""
    if instance_path is None:
        try:
            instance_path = Settings.from_env().instance_path
        except PustakaError:  # the settings themselves are broken: keep the details somewhere
            return Path(tempfile.gettempdir())
    return instance_path / "logs"


def record_crash(exc: BaseException, folder: Path, now: dt.datetime | None = None) -> Path | None:
    """Append the command line and the traceback to the log; return its path (None: not writable)."""
    path = folder / LOG_NAME
    stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    details = "".join(traceback.format_exception(exc))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"--- {stamp} pustaka {' '.join(sys.argv[1:])}\n{details}\n")
    except OSError:
        return None
    return path


def crash_message(exc: BaseException, log: Path | None) -> str:
    """Return the one line a person reads: what broke, and where the details are."""
    first = (str(exc).strip().splitlines() or [""])[0]
    if len(first) > MAX_SUMMARY:
        first = first[: MAX_SUMMARY - 1] + "…"
    what = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    where = f"the details are in {log}" if log else "the details could not be written to a log file"
    return f"Error: the command stopped on an unexpected error ({what}); {where}."


def quiet_stdout() -> None:
    """Send the rest of the standard output nowhere: its reader has gone (`pustaka ... | head -1`).

    Without it, Python's last flush of the output at exit fails again, and says so in a traceback.
    """
    try:
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, sys.stdout.fileno())
        os.close(nowhere)
    except (OSError, ValueError):  # no file behind sys.stdout (a test's): nothing is flushed to a pipe
        pass

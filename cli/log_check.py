"""`pustaka check`'s line about the log file (PUSTAKA_LOG_FILE): every process must append to it."""

from __future__ import annotations

import os
from typing import NamedTuple

from library.settings import Settings
from runtime.logs import log_file_path


class LogFileState(NamedTuple):
    """Whether the log file can be written, what was found, and what to do when it cannot."""

    ok: bool
    detail: str
    hint: str = ""


def log_file_state(settings: Settings) -> LogFileState:
    """Check that the log file can be appended to, or made in its folder (which is not made here)."""
    if not settings.log_file:
        return LogFileState(True, "none: standard error only (journald under systemd)")
    path = log_file_path(settings)
    folder = path.parent
    hint = (
        f"Make the folder and give it to the service's user (install -d -o pustaka -g pustaka -m 0750 "
        f"{folder}), or leave PUSTAKA_LOG_FILE empty to log to standard error only."
    )
    if path.is_dir():
        return LogFileState(False, f"{path} is a folder, not a file", "Name a file in PUSTAKA_LOG_FILE.")
    if path.exists():
        if not os.access(path, os.W_OK):
            return LogFileState(False, f"{path} is not writable by this user", hint)
        return LogFileState(True, f"{path} is writable")
    if not folder.is_dir():
        return LogFileState(False, f"{path}: its folder {folder} does not exist", hint)
    if not os.access(folder, os.W_OK | os.X_OK):
        return LogFileState(False, f"{path} cannot be made: {folder} is not writable by this user", hint)
    return LogFileState(True, f"{path} will be made (its folder is writable)")

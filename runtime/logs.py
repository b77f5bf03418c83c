"""Where every process's log records go, and what each line says.

One setup (`configure_logging`) for every process: the `pustaka` command, the web processes and
the job process of `pustaka serve` (forked from it: they inherit it), `pustaka worker`, and the
batch children (spawned: they set it up again). Each line says when, how severe, which process
(its name and pid) and which request (`-` outside one):

    2025-03-04T09:15:02.117+07:00 INFO pustaka web 1[4121] 9f3c0a51d2e84b7c pustaka.access: GET /cari/ ...

Lines go to standard error, which the service manager keeps (journald under systemd); with
PUSTAKA_LOG_FILE also to that file, which several processes append to at once: each record is
one write() to a file opened for appending (O_APPEND), so lines never interleave, and each
process reopens the file when logrotate has moved it (`WatchedFileHandler`): see
deploy/logrotate.conf and docs/observability.md.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import logging.handlers
import sys
from contextvars import ContextVar
from pathlib import Path
from typing import TextIO

from library.settings import Settings

FORMAT = "%(asctime)s %(levelname)s %(processName)s[%(process)d] %(request_id)s %(name)s: %(message)s"
NO_REQUEST = "-"
# The request a thread is answering (webapp.request_log sets it): every line logged meanwhile names it.
REQUEST_ID: ContextVar[str] = ContextVar("pustaka_request_id", default=NO_REQUEST)
FILE_BUFFER = 1 << 20  # a record up to 1 MB (a long traceback) leaves in one write()


_process_name = ""  # this process's name in its lines (else multiprocessing's: "MainProcess" ...)


def name_process(name: str) -> None:
    """Name this process in its log lines ("pustaka web 1"); a forked child names itself anew."""
    global _process_name
    _process_name = name


class RequestIdFilter(logging.Filter):
    """Give each record the id of the request being answered (`-` outside one) and the process's name."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Note the request id and the process's name on the record; keep every record."""
        record.request_id = REQUEST_ID.get()
        if _process_name:
            record.processName = _process_name
        return True


class LineFormatter(logging.Formatter):
    """Format a record as one line (made once, whichever handlers write it), its time in ISO 8601."""

    def __init__(self, fmt: str) -> None:
        super().__init__(fmt)
        self._second: tuple[int, str, str] = (-1, "", "")  # the last second written, as its two halves

    def format(self, record: logging.LogRecord) -> str:
        """Return the record's line (and keep it on the record for the next handler)."""
        line: str | None = record.__dict__.get("pustaka_line")
        if line is None:
            line = record.pustaka_line = super().format(record)
        return line

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        """Return the record's local time with its offset, e.g. 2025-03-04T09:15:02.117+07:00."""
        second = int(record.created)
        known = self._second
        if known[0] != second:  # a new second: its text is made once, not for every line
            text = dt.datetime.fromtimestamp(second).astimezone().isoformat(timespec="seconds")
            known = self._second = (second, text[:19], text[19:])
        return f"{known[1]}.{int(record.msecs):03d}{known[2]}"


class StandardError(logging.StreamHandler[TextIO]):
    """A handler writing to whatever sys.stderr is when a record comes (not when it was made)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        """Return the process's standard error now."""
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        """Ignore: the stream is always the current standard error."""


class SharedFile(logging.handlers.WatchedFileHandler):
    """A log file several processes append to, reopened after an outside rotation moved it."""

    def _open(self) -> io.TextIOWrapper:
        """Open for appending with a buffer larger than any record, so a record is one write()."""
        return io.TextIOWrapper(
            open(self.baseFilename, "ab", buffering=FILE_BUFFER),  # noqa: SIM115 - the handler closes it
            encoding=self.encoding or "utf-8",
            errors=self.errors,
        )


class HueyTracebackFilter(logging.Filter):
    """Drop Huey's own traceback of a failed task: `runtime.job_log` says the failure, with one."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but Huey's 'Unhandled exception in task'."""
        return not str(record.msg).startswith("Unhandled exception in task")


_HUEY_FILTER = HueyTracebackFilter()


def configure_logging(settings: Settings, process: str | None = None) -> None:
    """Send this process's log records to standard error (and the log file), one line each.

    Idempotent: it replaces only the handlers it made before, so a test's own handler stays.
    `process` names this process in every line (else its name so far: "MainProcess" ...).
    """
    if process:
        name_process(process)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "pustaka", False)]:
        root.removeHandler(handler)
        handler.close()
    handlers: list[logging.Handler] = [StandardError()]
    if settings.log_file:
        handlers.append(SharedFile(log_file_path(settings), delay=True))
    formatter = LineFormatter(FORMAT)
    for handler in handlers:
        handler.pustaka = True  # type: ignore[attr-defined]
        handler.setFormatter(formatter)
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its steps: `db upgrade` says what it did
    huey = logging.getLogger("huey")
    huey.setLevel(logging.WARNING)  # not a line per job taken and done; failures are said (job_log)
    if _HUEY_FILTER not in huey.filters:
        huey.addFilter(_HUEY_FILTER)


def log_file_path(settings: Settings) -> Path:
    """Return the log file's absolute path (PUSTAKA_LOG_FILE, relative to the working folder)."""
    return Path(settings.log_file).expanduser().absolute()

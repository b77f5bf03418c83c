"""What a file's pages say by themselves, before the ledger is asked: the heavy part of a trace.

`read_evidence` runs in a process of its own (`runtime.apart`), which imports this module to find
it: it needs no database, so this module imports neither the models nor SQLAlchemy (a process
importing `library.ledger.tracing` spent 1.4 s of CPU on its imports before reading a page).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from library.errors import InvalidInput
from library.i18n import N_
from watermark.errors import WatermarkError
from watermark.marks.mark import keys_of

if TYPE_CHECKING:
    from watermark.marks.fingerprint import Signal
    from watermark.trace.reading import TraceResult


@dataclass(frozen=True)
class DotSignal:
    """The dot pattern read off a file's first pages, before any delivery is scored against it."""

    signals: tuple[Signal, ...]  # one per key it was read with (a ring's keys place dots apart)
    pages: int


@dataclass(frozen=True)
class FileReading:
    """What a file's pages say by themselves, before the ledger is asked: the heavy part of a trace."""

    marks: TraceResult
    digest: str
    dots: DotSignal | None  # None: no secret to read the dot pattern with
    dots_problem: WatermarkError | None = None  # why the dot pattern could not be read


def read_dot_signal(path: Path, secret: bytes | Sequence[bytes]) -> DotSignal:
    """Read the dot pattern of a file under each key; raise WatermarkError if it cannot be read."""
    from watermark.marks.fingerprint import read_signals  # numpy loads when a process first traces

    signals, pages = read_signals(path, keys_of(secret))
    return DotSignal(tuple(signals), pages)


def sha256_of(path: Path) -> str:
    """Return the sha256 of a file on disk."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read_evidence(path: Path, secret: bytes | Sequence[bytes] | None = None) -> FileReading:
    """Read every mark of a file within the tracer's budgets (no database: it may run apart).

    Raise InvalidInput when the file cannot be traced at all.
    """
    from watermark.trace.reading import read_marks  # the tracer's engines load when a process first traces

    try:
        marks = read_marks(path, secret=secret)
        digest = sha256_of(path)
    except WatermarkError as exc:  # the engine's words, translated where the refusal is shown
        raise InvalidInput(N_("The file cannot be traced: %(reason)s"), reason=exc) from exc
    except OSError as exc:
        raise InvalidInput(N_("The file cannot be traced: %(reason)s"), reason=str(exc)) from exc
    if not secret:
        return FileReading(marks, digest, None)
    try:
        return FileReading(marks, digest, read_dot_signal(path, secret))
    except WatermarkError as exc:
        return FileReading(marks, digest, None, exc)

"""One `pustaka serve` per instance folder: a lock the running supervisor holds, naming it to a second one.

The lock is an exclusive `flock` on INSTANCE_DIR/serve.lock (each host's own folder), taken
before the port is opened or the metrics folder emptied, and held by the supervisor and the
processes it starts until the last of them ends (the kernel lets it go even after a crash, so
no stale lock outlives them). The file says which process holds it and where it serves.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from library.errors import PustakaError
from library.settings import Settings

LOCK_NAME = "serve.lock"


class AlreadyServing(PustakaError):
    """Another `pustaka serve` holds this instance."""


def lock_path(settings: Settings) -> Path:
    """Return the lock file of an instance's supervisor."""
    return settings.instance_path / LOCK_NAME


def hold_serve_lock(settings: Settings, address: str) -> IO[str]:
    """Take the instance's serve lock and write who holds it; refuse, naming the holder, if taken.

    Keep the returned file open for as long as the instance is served: closing it (or the end of
    every process holding it) lets the lock go.
    """
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        holder = handle.read(200).strip() or "another process"
        handle.close()
        raise AlreadyServing(
            "This instance (%(path)s) is already served by %(holder)s. Stop that one first, or serve "
            "another instance with its own PUSTAKA_INSTANCE_DIR.",
            path=str(settings.instance_path),
            holder=holder,
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pustaka serve (pid {os.getpid()}) at {address}\n")
    handle.flush()
    return handle

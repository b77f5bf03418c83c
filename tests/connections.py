"""Counting the database connections a request holds at once (at most one: `UnitOfWork.release`).

A request that holds one connection and asks the pool for a second can wait for ever once
every thread does the same (the pool runs dry), and on SQLite a second connection that writes
waits for the first's lock. `ConnectionCount` wraps an app's WSGI entry and watches every pool:
each request's highest number of connections held at once is kept, with where it took the
second. Connections the test itself holds before the request are not the request's.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.pool import Pool

_state = threading.local()
_installed = False


def _checked_out(*_args: object) -> None:
    if getattr(_state, "counting", None) is None:
        return
    _state.held += 1
    if _state.held > 1:
        frames = [f for f in traceback.extract_stack()[:-1] if "site-packages" not in f.filename]
        _state.counting.append("".join(traceback.format_list(frames[-8:])))


def _checked_in(*_args: object) -> None:
    if getattr(_state, "counting", None) is not None and _state.held > 0:
        _state.held -= 1


def install() -> None:
    """Listen to every pool's checkouts and checkins (once per process)."""
    global _installed
    if not _installed:
        event.listen(Pool, "checkout", _checked_out)
        event.listen(Pool, "checkin", _checked_in)
        _installed = True


class ConnectionCount:
    """A WSGI wrapper that records where any request took a second connection while holding one."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        install()
        self.wsgi_app = wsgi_app
        self.seconds: list[str] = []  # the stack of each second connection taken
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        found: list[str] = []
        _state.counting, _state.held = found, 0
        try:
            # The body too, and the app's own ending (close): they may still query.
            reply = self.wsgi_app(environ, start_response)
            try:
                return list(reply)
            finally:
                close = getattr(reply, "close", None)
                if close is not None:
                    close()
        finally:
            _state.counting = None
            with self._lock:
                self.seconds.extend(found)

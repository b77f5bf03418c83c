"""Serving an app to the browser tests: waitress on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from waitress.server import BaseWSGIServer


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve the app with waitress on a free loopback port until the block ends; yield its URL.

    The app's runtime is closed when the block ends: its pooled connections, its job lanes' and
    its search index, not left to the garbage collector (Python 3.13 reports them).
    """
    from waitress.server import create_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = create_server(app, map={}, host="127.0.0.1", port=port, threads=4)
    try:
        with running(server):
            yield f"http://127.0.0.1:{port}"
    finally:
        app.extensions["pustaka"].close()


@contextmanager
def running(server: BaseWSGIServer) -> Iterator[None]:
    """Run a waitress server's loop in a thread of its own until the block ends, then stop it there.

    The loop also stops in its own thread: closing the listening socket (or pulling the trigger
    of a loop that is closing) from the test's thread while the loop selects on it raised in
    one thread or the other now and then (an unhandled thread exception in the next test, or a
    bad file descriptor in the teardown).
    """
    from waitress import wasyncore

    sockets = server._map
    stopping = threading.Event()

    def run() -> None:
        while not stopping.is_set():
            wasyncore.loop(timeout=0.2, map=sockets, count=1)
        dispatcher = server.task_dispatcher
        finishing = time.monotonic() + 5  # requests still in flight (a page's images) end first
        while (dispatcher.queue or dispatcher.active_count) and time.monotonic() < finishing:
            wasyncore.loop(timeout=0.05, map=sockets, count=1)
        dispatcher.shutdown()
        for channel in list(sockets.values()):
            if hasattr(channel, "outbufs"):
                channel.handle_close()  # closes what it still had to send (a file), unlike close()
        wasyncore.close_all(sockets)

    thread = threading.Thread(target=run, name="test-server", daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.pull_trigger()  # before the flag: once the flag is up, the loop may close the trigger
        stopping.set()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the test server did not stop"

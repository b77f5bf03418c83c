"""Serving an app to the browser tests: waitress on a free loopback port."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve the app with waitress on a free loopback port until the block ends; yield its URL.

    The server's loop runs in its own thread and is also stopped there: closing the
    listening socket from the test's thread while the loop selects on it raised in the
    loop's thread now and then (an unhandled thread exception in the next test).
    """
    from waitress import wasyncore
    from waitress.server import create_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sockets: dict[int, object] = {}
    server = create_server(app, map=sockets, host="127.0.0.1", port=port, threads=4)
    stopping = threading.Event()

    def run() -> None:
        while not stopping.is_set():
            wasyncore.loop(timeout=0.2, map=sockets, count=1)
        server.task_dispatcher.shutdown()
        wasyncore.close_all(sockets)

    thread = threading.Thread(target=run, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stopping.set()
        server.pull_trigger()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the test server did not stop"
        app.extensions["pustaka"].engine.dispose()

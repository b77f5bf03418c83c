"""`pustaka serve` stopped while it starts its children leaves none of them running."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from runtime import supervisor
from runtime.supervisor import Child, Supervisor


@pytest.fixture
def stop_handlers() -> Iterator[None]:
    """Give the test process its stop signals' handlers back (the supervisor ignores them as it ends)."""
    kept = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    yield
    for signum, handler in kept.items():
        signal.signal(signum, handler)


def test_a_stop_signal_as_a_child_is_forked_stops_that_child_too(
    monkeypatch: pytest.MonkeyPatch, stop_handlers: None
) -> None:
    forked: list[int] = []
    fork = os.fork

    def fork_then_stopped() -> int:
        pid = fork()
        if pid:  # the supervisor is told to stop as the fork returns, before it notes the child
            forked.append(pid)
            os.kill(os.getpid(), signal.SIGTERM)
        return pid

    monkeypatch.setattr(supervisor.os, "fork", fork_then_stopped)
    web = Child("web", signal.pause)  # runs until a signal stops it
    try:
        Supervisor([web]).run()
        monkeypatch.undo()
        assert forked and web.pid == forked[0]
        with pytest.raises(ChildProcessError):  # stopped and reaped by the supervisor
            os.waitpid(forked[0], os.WNOHANG)
    finally:
        for pid in forked:  # a child left running is ended here, never by the test run's end
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass

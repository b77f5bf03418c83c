"""A small process manager for `pustaka serve`: web processes on one socket, and the job process.

The supervising process binds the listening socket, then forks its children while it still
has one thread: N web processes (waitress on the shared socket, so the kernel spreads the
connections and the GIL of one process no longer caps the site), and, with the SQLite queue,
one job process that consumes both lanes. A child that dies is started again (after a pause
if it keeps dying); Ctrl+C or SIGTERM stops them all. Children never return into the caller.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from runtime import logs
from runtime.counted import process_ended

log = logging.getLogger(__name__)

RESTART_PAUSE = 2.0  # seconds before starting again a child that lived less than this
STOP_GRACE = 10.0  # seconds children get to end after SIGTERM before SIGKILL
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def listen(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """Bind the site's socket once, for every web process to accept on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=backlog, reuse_port=False)


@dataclass
class Child:
    """One kind of child: its name and what it runs (which must not return normally)."""

    name: str
    run: Callable[[], None]
    pid: int = 0
    started: float = 0.0
    restarts: int = field(default=0)


class _Stop(Exception):
    """Raised by the signal handler, to leave a blocking wait at once."""


class Supervisor:
    """Start the children, start them again when they die, stop them on a signal."""

    def __init__(self, children: list[Child]) -> None:
        self.children = children
        self.stopping = False
        self.forking = False  # between a fork and noting the child's pid (`start`)

    def start(self, child: Child) -> None:
        """Fork one child; the child runs and exits, never returning here.

        A stop signal taken between the fork and noting the child's pid left a child the
        supervisor did not know, running on after it had stopped (a `pustaka serve` stopped
        while it started, its web process left holding the port). So the stop waits for the
        note: the signals are held meanwhile, and a handler run all the same (another thread
        took the signal) only marks the stop, which is raised once the child is noted.
        """
        # Marked first and cleared last: a handler can run inside the mask's own calls.
        self.forking = True
        held: set[int | signal.Signals] | None = None
        try:
            held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
            if not self.stopping:
                pid = os.fork()
                if pid == 0:  # pragma: no cover - runs in the child process (measured by its own tests)
                    self._run_child(child, held)
                child.pid, child.started = pid, time.monotonic()
        finally:
            if held is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
            self.forking = False
        if self.stopping:
            raise _Stop

    def _run_child(self, child: Child, held: set[int | signal.Signals]) -> None:  # pragma: no cover
        """Run a child to its end and leave the process; a stop signal taken while it forked ends it."""
        code = 0
        try:
            for signum in _STOP_SIGNALS:
                signal.signal(signum, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a signal held meanwhile ends it here
            if self.stopping:  # one the supervisor's handler took in this process, as it forked
                raise SystemExit(0)
            name_process(f"pustaka {child.name}")
            child.run()
        except (KeyboardInterrupt, SystemExit):
            pass
        except BaseException:  # noqa: BLE001 - whatever it was, the supervisor starts it again
            log.exception("The %s process failed.", child.name)
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def run(self) -> None:
        """Supervise until SIGINT or SIGTERM; then stop every child."""
        for signum in _STOP_SIGNALS:
            signal.signal(signum, self._stop)
        try:
            for child in self.children:
                self.start(child)
            while not self.stopping:
                self._reap_one()
        except _Stop:
            pass
        finally:
            for signum in _STOP_SIGNALS:
                signal.signal(signum, signal.SIG_IGN)
            self._stop_all()

    def _stop(self, signum: int, frame: object) -> None:
        self.stopping = True
        if not self.forking:  # as a child is forked, `start` raises it once the child is noted
            raise _Stop

    def _reap_one(self) -> None:
        """Wait for a child to end, and start it again unless stopping."""
        try:
            pid, status = os.wait()
        except ChildProcessError:
            self.stopping = True
            return
        process_ended(pid)  # its memory gauge leaves /metrics
        for child in self.children:
            if child.pid != pid:
                continue
            child.pid = 0  # reaped: its pid may be another process's by the time the stop comes
            if self.stopping:
                continue
            lived = time.monotonic() - child.started
            log.warning("The %s process ended (%s); starting it again.", child.name, _describe(status))
            if lived < RESTART_PAUSE:
                time.sleep(RESTART_PAUSE)
            child.restarts += 1
            if not self.stopping:
                self.start(child)

    def _stop_all(self) -> None:
        """Ask every child to stop, then make sure they did."""
        alive = {c.pid for c in self.children if c.pid and _signal(c.pid, signal.SIGTERM)}
        deadline = time.monotonic() + STOP_GRACE
        while alive and time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                alive.discard(pid)
            else:
                time.sleep(0.05)
        for pid in alive:
            _signal(pid, signal.SIGKILL)


def _signal(pid: int, signum: int) -> bool:
    """Send a signal; tell whether the process was still there."""
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        return False
    return True


def _describe(status: int) -> str:
    """Word a wait status."""
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def name_process(name: str) -> None:
    """Name this process as `ps`, `top` and /proc/PID/comm show it (Linux; 15 bytes at most).

    The children of `pustaka serve` are forks of one program: named, an operator (and the
    benchmarks) can tell the web processes from the job process.
    """
    logs.name_process(name)  # and as its log lines name it
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(15, name.encode()[:15], 0, 0, 0)  # PR_SET_NAME


class MemoryGiver(threading.Thread):
    """Hand the memory this process freed back to the system, every `interval` seconds (glibc).

    glibc's free() gives pages back only from the top of the heap: after a burst (ten sign-ins
    hashing with scrypt at once, a reader's poster page marked) a web process would keep its
    peak for good. malloc_trim(0) releases every free page, wherever it lies; it takes the
    allocator's locks only briefly. Elsewhere than glibc, this does nothing.
    """

    def __init__(
        self,
        interval: float = 20.0,
        trim: Callable[[], object] | None = None,
        also: Callable[[], object] | None = None,
        trim_every: int = 1,
    ) -> None:
        super().__init__(name="memory-giver", daemon=True)
        self.interval = interval
        self.trim = trim or _malloc_trim()
        self.also = also  # something else to give back each interval (the search index's mapped pages)
        self.trim_every = max(1, trim_every)  # trim on every n-th interval only
        self.stopping = threading.Event()

    def run(self) -> None:
        """Give back until stopped."""
        if self.trim is None and self.also is None:
            return
        intervals = 0
        while not self.stopping.wait(self.interval):
            intervals += 1
            self.give_back(trim=intervals % self.trim_every == 0)

    def give_back(self, trim: bool = True) -> None:
        """Hand freed memory back now, as the thread does each interval (`trim=False`: the rest only)."""
        if trim and self.trim is not None:
            self.trim()
        if self.also is not None:
            self.also()


_M_ARENA_MAX = -8  # glibc's mallopt parameter


def few_arenas(count: int = 2) -> bool:
    """Let this process's threads share `count` malloc arenas (glibc); call before any thread starts.

    glibc gives each thread that meets a locked arena one of its own, up to eight per core: a web
    process of 16 threads kept 16 heaps, each holding its own peak and fragments, most of the
    RSS past the idle figure. Two arenas keep 16 threads' allocations in two heaps (waitress'
    threads spend their time in Python, under one lock, so they rarely contend for malloc).
    Return whether the setting took (False elsewhere than glibc).
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, count))
    except (OSError, AttributeError):
        return False


def _malloc_trim() -> Callable[[], object] | None:
    """Return glibc's malloc_trim(0) as a function, or None where there is none."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    return lambda: trim(0)

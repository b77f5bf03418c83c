"""Heavy work a request asks for, done in a process of its own that gives its memory back.

Reading a hostile file (a poster-sized page, a 100,000-page PDF) can take hundreds of megabytes
and tens of seconds. Done on the request thread, the memory stays with the server for good
(the C allocators keep what they grew to) and nothing can stop the work short. `run_apart`
runs it in a fresh spawned process instead, waits for its answer up to a time limit, and ends
the process either way: the server's own memory does not grow, and a file that outlasts the
limit is answered with a clear error. Only a few run at once (`ApartSlots`).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")


class TookTooLong(Exception):
    """The work did not answer within its time limit; its process was ended."""


class ApartFailed(Exception):
    """The process ended without an answer (killed, out of memory, or an error it could not send)."""


class Busy(Exception):
    """Every slot for such work is taken."""


class ApartSlots:
    """How many processes of one kind of work may run at once; a request waits a little for one."""

    def __init__(self, count: int, wait: float, niceness: int = 0) -> None:
        self._slots = threading.BoundedSemaphore(count)
        self.wait = wait
        self.niceness = niceness

    def run(self, target: Callable[..., T], *args: object, seconds: float) -> T:
        """Run target(*args) apart once a slot is free (raise Busy if none frees within `wait`)."""
        if not self._slots.acquire(timeout=self.wait):
            raise Busy
        try:
            return run_apart(target, *args, seconds=seconds, niceness=self.niceness)
        finally:
            self._slots.release()


def run_apart(target: Callable[..., T], *args: object, seconds: float, niceness: int = 0) -> T:
    """Return target(*args) computed in a spawned process; raise what it raised, or TookTooLong.

    With `niceness`, the process runs at that lower priority: the readers' requests come first.

    The target and its arguments and result must pickle. The process is a daemon and asks
    Linux to end it with this one, so neither an exit nor a crash of the server leaves it behind.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(send, target, args, niceness), name="pustaka-apart", daemon=True
    )
    child.start()
    send.close()  # ours: only the child writes, so its end closing means it has ended
    try:
        if not receive.poll(seconds):
            raise TookTooLong
        try:
            ok, value = receive.recv()
        except (EOFError, OSError):
            child.join(seconds)  # its end of the pipe closed as it exited: let it be reaped
            raise ApartFailed(f"the process ended with exit code {child.exitcode}") from None
        except Exception as exc:  # noqa: BLE001 - an answer that does not unpickle here
            raise ApartFailed(f"its answer could not be read: {type(exc).__name__}: {exc}") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if ok:
        return value
    raise value


def _child(send: Connection, target: Callable[..., Any], args: tuple[object, ...], niceness: int) -> None:
    """Entry of the process: end with the parent, run the target, send back its result or error."""
    end_with_parent()
    if niceness:
        os.nice(niceness)
    try:
        answer: tuple[bool, object] = (True, target(*args))
    except Exception as exc:  # noqa: BLE001 - the caller re-raises it: nothing is lost here
        answer = (False, exc)
    try:
        send.send(answer)
    except Exception as exc:  # noqa: BLE001 - an answer that does not pickle is an error to send
        send.send((False, ApartFailed(f"its answer could not be sent: {type(exc).__name__}: {exc}")))
    finally:
        send.close()


def end_with_parent() -> None:
    """Ask Linux to end this process when the one that started it dies, however it dies.

    A daemon child is ended by its parent's normal exit only: a process killed by a signal
    (or by the supervisor's stop) would leave its children working with no one to report to.
    """
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(1)

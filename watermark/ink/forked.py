"""In a process measuring ahead: its work run silently, its answers sent through its pipe in chunks.

`watermark.ink.ahead` forks the processes and reads their answers; what they run
(`watermark.ink.pageinks` for a share of known pages, `watermark.ink.claiming` for the pages
it claims) measures inside `as_child` and sends with `send_all` or `send_messages`, from a
thread of their own so that measuring goes on while a chunk waits for room in the pipe. Loaded
before the command line forks, as `ahead` is: nothing here needs NumPy or pikepdf.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # NumPy: a command line forks these processes before it loads it
    from multiprocessing.connection import Connection

    from watermark.ink.answers import Sized

CHUNK_PAGES = 32  # pages a child answers at a time: 50 KB of packed cells, within a pipe's buffer


@contextlib.contextmanager
def as_child() -> Iterator[None]:
    """Run a forked measuring process's work, ending the process without a word if anything fails.

    The parent, finding no answer, measures the pages left itself and tells what it has to.
    Ctrl+C is the parent's to act on.
    """
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        yield
    except BaseException:  # noqa: BLE001 - the parent measures what is left
        os._exit(1)


def send_all(answer: Connection, measured: Iterator[Sized]) -> None:
    """In a child: send its answers in chunks of CHUNK_PAGES, from a thread of their own, then close."""
    send_messages(answer, chunks(measured))


def send_messages(answer: Connection, messages: Iterator[Any]) -> None:
    """In a child: send `messages` from a thread of their own as they come, then close.

    Measuring goes on while a chunk waits for room in the pipe: a process started early
    measures long before the parent first reads (`ahead.Ahead.adopt`), and a pipe holds one chunk
    or two. A send that fails (the parent gone) ends the process.
    """
    waiting: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def sending() -> None:
        try:
            while (chunk := waiting.get()) is not None:
                answer.send(chunk)
            answer.close()
        except BaseException:  # noqa: BLE001 - nobody to tell: the parent measures what is left
            os._exit(1)

    sender = threading.Thread(target=sending, daemon=True)
    sender.start()
    for message in messages:
        waiting.put(message)
    waiting.put(None)
    sender.join()


def chunks(measured: Iterator[Sized]) -> Iterator[list[Sized]]:
    """Group a child's answers in chunks of CHUNK_PAGES."""
    chunk: list[Sized] = []
    for answer in measured:
        chunk.append(answer)
        if len(chunk) == CHUNK_PAGES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

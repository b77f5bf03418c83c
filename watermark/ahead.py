"""Pages measured ahead in forked processes, for a command someone waits on.

The engine's command line stamps a publication nobody measured before: every page must be
measured (about 0.3 ms of PDFium reading and drawing a page's foot) and stamped (0.15 ms). Forked
processes measure shares of the pages while this one measures its own share and stamps every
page in order, collecting the others' answers as it goes: its share is smaller, by what
stamping every page costs it (`split`), so that all finish together. A child answers in chunks
of `CHUNK_PAGES`, which this process drains whenever it asks for a page, so a child never
waits on a full pipe for long.

Only a file on disk is shared so, and only a process running one thread forks (a fork copies
one thread: a lock another thread held would stay taken in the child). A child that fails ends
silently; the pages it did not answer are measured here when asked for. The library's copies
never fork: they run beside the web pages, which the other cores serve.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from watermark.pagebox import PageBox
from watermark.room import Ink

SHARE_PAGES = 64  # pages to measure per process, at least: a fork and a document opened again
# cost about what measuring a few dozen pages does
MAX_PROCESSES = 8  # however many cores: each process opens the document again
STAMP_COST = 0.16  # stamping a page beside measuring one: 0.08 and 0.28 were no faster (benchmarks/stamp.py)
CHUNK_PAGES = 32  # pages a child answers at a time: 50 KB of packed cells, within a pipe's buffer
# rows, cols, cell size, packed cells, exact rows; None: the page could not be measured
Measured = tuple[int, int, float, float, bytes, int] | None
# What a child runs: measure (index, width, height) of a file, foot alone or not; answer in chunks.
Measurer = Callable[[Connection, str, list[tuple[int, float, float]], bool], None]


def cores() -> int:
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def may_fork() -> bool:
    """Tell whether this process may fork: it can, and runs one thread (the child gets only that one)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def split(missing: list[tuple[int, PageBox]], processes: int) -> list[list[tuple[int, PageBox]]]:
    """Split the pages to measure: this process's share first, then one per other process.

    This process also stamps every page, so its share is smaller by what that costs: with
    `processes` p and stamping at c of a measure, it measures n(1 - c(p - 1))/p pages, never
    fewer than none, and the others share the rest alike. Its share comes first, so it stamps
    its own pages while the others measure theirs.
    """
    own = max(0, round(len(missing) * (1 - STAMP_COST * (processes - 1)) / processes))
    rest = missing[own:]
    others = min(processes - 1, len(rest)) or 1
    size, larger = divmod(len(rest), others)  # the first `larger` shares take one page more
    shares, start = [missing[:own]], 0
    for number in range(others):
        end = start + size + (number < larger)
        shares.append(rest[start:end])
        start = end
    return [shares[0]] + [share for share in shares[1:] if share]


@dataclass
class _Child:
    """A forked process measuring a share of the pages, and how far its answers were read."""

    share: list[tuple[int, PageBox]]
    process: Any
    reader: Connection
    answered: int = 0  # pages of the share answered so far
    failed: bool = False

    @property
    def answered_all(self) -> bool:
        return self.answered == len(self.share)

    @property
    def done(self) -> bool:
        return self.failed or self.answered_all


class Ahead:
    """The processes measuring ahead, and the pages they still owe."""

    def __init__(self) -> None:
        self._children: list[_Child] = []
        self._owed: dict[int, _Child] = {}

    def start(
        self, source: str, foot_only: bool, shares: list[list[tuple[int, PageBox]]], measurer: Measurer
    ) -> None:
        """Fork a process to measure each share; a share no process could be had for is measured here."""
        context = multiprocessing.get_context("fork")
        for share in shares:
            plain = [(i, box.width, box.height) for i, box in share]
            try:
                reader, writer = context.Pipe(duplex=False)
            except OSError:
                return  # no descriptors left: the pages are measured here when asked for
            process = context.Process(target=measurer, args=(writer, source, plain, foot_only), daemon=True)
            try:
                process.start()
            except OSError:  # a process limit, no memory
                reader.close()
                return
            finally:
                writer.close()
            child = _Child(share, process, reader)
            self._children.append(child)
            self._owed.update((index, child) for index, _ in share)

    def owes(self, index: int) -> bool:
        """Tell whether page `index` is being measured by another process."""
        return index in self._owed

    def answers(self, index: int | None = None) -> Iterator[tuple[int, PageBox, Ink | None]]:
        """Yield what the processes have answered: all there is now, and, given `index`, until it is in.

        A process that fails (it ends without answering) owes nothing more: its pages are
        measured here when asked for.
        """
        waited = self._owed.get(index) if index is not None else None  # the process owing `index`
        for child in self._children:
            while not child.done and (child.reader.poll() or (child is waited and index in self._owed)):
                pages = child.share[child.answered :]
                try:
                    chunk = child.reader.recv()
                    inks = [unpacked(measured) for measured in chunk][: len(pages)]
                except Exception:  # noqa: BLE001 - EOF, a broken pipe or message: the process failed
                    inks = []
                # The whole chunk is taken in before any of it is handed on: a caller that stops
                # half-way leaves its other pages neither owed nor held, so they are measured here.
                child.failed = not inks
                child.answered += len(inks)
                for owed, _ in pages if child.failed else pages[: len(inks)]:
                    if self._owed.get(owed) is child:
                        del self._owed[owed]
                yield from ((owed, box, ink) for (owed, box), ink in zip(pages, inks, strict=False))

    def close(self) -> None:
        """End the processes: reaped if they answered everything, killed at once if not (interrupted)."""
        for child in self._children:
            child.reader.close()
            child.process.join(5 if child.answered_all else 0)
            if child.process.is_alive():
                child.process.kill()
                child.process.join()
        self._children.clear()
        self._owed.clear()


def chunks(measured: Iterator[Measured]) -> Iterator[list[Measured]]:
    """Group a child's answers in chunks of CHUNK_PAGES."""
    chunk: list[Measured] = []
    for answer in measured:
        chunk.append(answer)
        if len(chunk) == CHUNK_PAGES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def packing(ink: Ink | None) -> Measured:
    if ink is None:
        return None
    rows, cols = ink.shape
    return rows, cols, ink.cell_w, ink.cell_h, ink.packbits(), ink.exact_rows


def unpacked(measured: Measured) -> Ink | None:
    if measured is None:
        return None
    rows, cols, cell_w, cell_h, packed, exact_rows = measured
    return Ink.packed(packed, rows, cols, cell_w, cell_h, exact_rows)


def packed(ink: Ink | None) -> Ink | None:
    """Return `ink` packed, as kept ink is: thousands of pages held unpacked would take gigabytes."""
    return unpacked(packing(ink))

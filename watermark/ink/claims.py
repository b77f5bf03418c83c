"""A first stamp's pages claimed as they are measured: this process from the front, the others from the back.

A fixed share per process (`watermark.ink.ahead.split`) finishes together only when every process
gets the CPU it was counted on. On a host busy with other work the scheduler gives each a
different part of the cores, and the process stamping waits for a slower one's share. Here
nothing is shared out in advance: the process that stamps claims each page as it comes to it,
from the front, and the others claim chunks of `CLAIM_PAGES` from the back, until the two ends
meet. However the cores are shared, this process waits at most for the chunks the others are
measuring when it reaches them, and every page is claimed once.

The claims are two numbers and an owner per page in memory shared with the forked processes
(an anonymous mapping made before the fork), under one lock. The pages are counted by the
first process to claim (`begin`); this process may claim before that.
"""

from __future__ import annotations

import mmap
import struct

CLAIM_PAGES = 16  # pages the others claim at a time: this process waits at most for one such chunk each
CAPACITY = 1 << 20  # pages with an owner noted; a longer document is left to this process
_HEAD = struct.Struct("qq")  # lo: pages below it are this process's; hi: pages from it are the others'
_UNKNOWN = -1  # hi before the pages are counted


class Claims:
    """Which process measures which page of one document, shared by forked processes."""

    def __init__(self) -> None:
        import multiprocessing  # loaded by what forks: a first stamp read from its content never does

        self._lock = multiprocessing.get_context("fork").Lock()
        self._memory = mmap.mmap(-1, _HEAD.size + CAPACITY)  # shared by the processes forked after
        _HEAD.pack_into(self._memory, 0, 0, _UNKNOWN)

    def begin(self, count: int) -> None:
        """Note that the document has `count` pages: the others may claim from its end (first call only)."""
        with self._lock:
            lo, hi = _HEAD.unpack_from(self._memory, 0)
            if hi == _UNKNOWN:
                _HEAD.pack_into(self._memory, 0, lo, count if count <= CAPACITY else lo)

    def take_chunk(self, number: int, size: int = CLAIM_PAGES) -> range:
        """Claim for process `number` (from 1) the last `size` pages not claimed; empty if none is left."""
        with self._lock:
            lo, hi = _HEAD.unpack_from(self._memory, 0)
            start = max(lo, hi - size)
            if hi == _UNKNOWN or start >= hi:
                return range(0)
            offset = _HEAD.size + start
            self._memory[offset : offset + hi - start] = bytes([number]) * (hi - start)
            _HEAD.pack_into(self._memory, 0, lo, start)
            return range(start, hi)

    def take(self, index: int) -> int:
        """Claim page `index` for this process (number 0) unless another did; return who measures it."""
        with self._lock:
            lo, hi = _HEAD.unpack_from(self._memory, 0)
            if hi != _UNKNOWN and index >= hi:
                return self._memory[_HEAD.size + index] if index < CAPACITY else 0
            if index >= lo:
                _HEAD.pack_into(self._memory, 0, index + 1, hi)
            return 0

    def owner(self, index: int) -> int:
        """Return who claimed page `index`: 0 for this process or nobody yet, else the other's number."""
        with self._lock:
            _, hi = _HEAD.unpack_from(self._memory, 0)
            if hi == _UNKNOWN or index < hi or index >= CAPACITY:
                return 0
            return self._memory[_HEAD.size + index]

    def close(self) -> None:
        """Free the shared memory (in this process; the others' copies go with them)."""
        self._memory.close()

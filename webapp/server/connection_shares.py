"""Web processes on one socket take turns at its connections: none holds many more than another.

`pustaka serve`'s web processes accept on one listening socket. Left to the kernel, whichever
process wakes first takes a burst of new connections: 50 keep-alive connections opened at once
were split 35/15 or 40/10 in most runs, so one process queued requests on a saturated core
while the other idled (its pages' p99 doubled, and the site's rate fell towards one process's).
A browser or a proxy keeps its connection for many requests, so the split at connect time is
the split of the work.

Each web process publishes, in a small memory map shared by the fork, how many connections it
holds and when it last looked; a process stops accepting while it holds more than `SLACK` more
than the least-loaded process that looked within `FRESH_SECONDS` (the others take the queued
connections). A process that died or hangs stops looking and is left out, so it never stops the
others from accepting; the least-loaded process always accepts, so connections never wait on a
rule. Waitress asks its listening socket whether it is readable on every turn of its loop (at
least once a second when idle), which is where the rule is applied.
"""

from __future__ import annotations

import ctypes
import mmap
import time
from typing import Any

SLACK = 1  # connections a process may hold beyond the least-loaded one's (at the least)
SLACK_SHARE = 8  # ... and beyond that, an eighth of what the least-loaded one holds
FRESH_SECONDS = 3.0  # a process that has not looked for longer is left out (dead or hung)
# How long a web process's loop sleeps when nothing happens. A process that stopped accepting
# (ahead of the others) sleeps without watching the socket; the others stop too once they get
# ahead of the count it last published, so until one wakes nobody accepts. Hundreds of idle
# connections opened at once (a flood) were accepted at ~8 a second with waitress's 1 s; with
# 0.05 s and a slack that grows with the count, at the pace of a single process.
LOOP_SECONDS = 0.05
ACCEPT_BATCH = 32  # connections a process may accept in one turn of its loop


class ConnectionShares:
    """Per web process: its open connections and when it last counted them, shared across fork."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._memory = mmap.mmap(-1, 16 * processes)  # anonymous and shared: forks see one copy
        self._counts = (ctypes.c_int64 * processes).from_buffer(self._memory, 0)
        self._seen = (ctypes.c_int64 * processes).from_buffer(self._memory, 8 * processes)

    def may_accept(self, slot: int, holding: int, now: float | None = None) -> bool:
        """Publish that process `slot` holds `holding` connections; tell whether it may take another."""
        now_ms = int((time.monotonic() if now is None else now) * 1000)
        self._counts[slot] = holding
        self._seen[slot] = now_ms
        fresh_ms = int(FRESH_SECONDS * 1000)
        least = min(
            (
                self._counts[other]
                for other in range(self.processes)
                if other != slot and now_ms - self._seen[other] <= fresh_ms
            ),
            default=holding,
        )
        return holding <= least + max(SLACK, least // SLACK_SHARE)


def sharing_server(server_class: type[Any], shares: ConnectionShares, slot: int) -> type[Any]:
    """Return a waitress server class that accepts only while the process holds its share."""

    def readable(self: Any) -> bool:
        if not server_class.readable(self):  # waitress' own rules (its connection limit) first
            return False
        # The map holds the process's channels: its connections, this listener and waitress'
        # trigger, the same two in every process.
        return shares.may_accept(slot, len(self._map))

    def handle_accept(self: Any) -> None:
        # Several connections a turn while they wait and the rule allows: each turn of waitress'
        # loop polls every connection the process holds, so one accept a turn made a flood of
        # 500 connections take 1.4 s to accept, and a visitor behind it waited as long.
        for n in range(ACCEPT_BATCH):
            held = len(self._map)
            if n and (held >= self.adj.connection_limit or not shares.may_accept(slot, held)):
                return
            server_class.handle_accept(self)
            if len(self._map) == held:
                return  # none was waiting

    def run(self: Any) -> None:
        # Waitress reads its loop's timeout as a whole number of seconds: set here, not as an adjustment.
        self.adj.asyncore_loop_timeout = LOOP_SECONDS
        server_class.run(self)

    methods = {"readable": readable, "handle_accept": handle_accept, "run": run}
    return type("SharingServer", (server_class,), methods)

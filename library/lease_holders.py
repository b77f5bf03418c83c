"""Who holds a lease: a name for a process that another process on the same machine can check.

A lease ends when its holder stops renewing it, and a killed holder stops at once; but its lease
runs on, and without more to go on a new worker waits it out (two minutes) before taking the job
over. A holder named `host:pid:start:space` can be checked instead: a worker starting on the same
machine sees at once that the process is gone and takes its jobs over.

- `start` is when the process started (clock ticks since boot): a new process later given the
  same pid is not mistaken for the holder.
- `space` (from the boot id and the pid namespace) says whether the pid means the same process
  here: another container with the same host name, or the machine before a reboot, cannot be
  checked, so their leases are left to run out.

Where /proc cannot be read (not Linux), nothing is known dead: leases run out as before.
"""

from __future__ import annotations

import hashlib
import os
import socket
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
DEAD_STATES = {"Z", "X", "x"}  # a zombie has ended; only its exit status waits to be collected


@dataclass(frozen=True)
class Holder:
    """A process that may hold leases: its machine, pid, start time and pid space."""

    host: str
    pid: int
    started: int  # clock ticks since boot; 0 when unknown
    space: str  # short hash of the boot id and pid namespace; "" when unknown

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}:{self.started}:{self.space}"

    @classmethod
    def parse(cls, name: str) -> Holder | None:
        """Read a holder's name; None for names that say too little (`host:pid`, from before)."""
        parts = name.rsplit(":", 3)
        if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
            return None
        return cls(parts[0], int(parts[1]), int(parts[2]), parts[3])


def this_process() -> Holder:
    """Return this process as a lease holder."""
    return Holder(socket.gethostname()[:80], os.getpid(), _start_ticks(os.getpid()) or 0, _pid_space())


def is_gone(name: str) -> bool:
    """Tell whether the named holder is known to be dead: on this machine, and its process ended.

    Anything that cannot be checked from here is not known dead: its lease runs out instead.
    """
    holder = Holder.parse(name)
    me = this_process()
    if holder is None or not me.space or not holder.started:
        return False
    if (holder.host, holder.space) != (me.host, me.space):
        return False
    ticks = _start_ticks(holder.pid)  # None: no such process, or it has ended
    return ticks != _UNKNOWN and ticks != holder.started


_UNKNOWN = -1  # a start time no live process has: compared with a holder's, never "ended"


def _start_ticks(pid: int) -> int | None:
    """Return when the live process `pid` started (ticks since boot); None if there is none."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return _UNKNOWN  # hidden from us (/proc mounted with hidepid, another user): not known dead
    fields = stat.rsplit(")", 1)[1].split()  # the name, in brackets, may hold spaces
    if fields[0] in DEAD_STATES:
        return None
    return int(fields[19])


def _pid_space() -> str:
    """Return a short name for the set of pids this process sees; "" when it cannot be told."""
    try:
        boot = (PROC / "sys/kernel/random/boot_id").read_text().strip()
        namespace = os.readlink(PROC / "self/ns/pid")
    except OSError:
        return ""
    return hashlib.blake2s(f"{boot} {namespace}".encode(), digest_size=4).hexdigest()

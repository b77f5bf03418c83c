"""A web process's threads share two malloc arenas (glibc), not one heap each."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Eight threads allocate at once, then glibc's malloc_info lists the heaps (one per arena).
PROBE = """
import ctypes, re, sys, tempfile, threading
from runtime.supervisor import few_arenas
if sys.argv[1] == "few":
    assert few_arenas(2)
barrier = threading.Barrier(8)
def work():
    kept = [bytearray(20000) for _ in range(50)]
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
libc = ctypes.CDLL("libc.so.6")
libc.fdopen.restype = ctypes.c_void_p
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fflush.argtypes = [ctypes.c_void_p]
with tempfile.NamedTemporaryFile("r") as out:
    stream = libc.fdopen(out.fileno(), b"w")
    libc.malloc_info(0, stream)
    libc.fflush(stream)
    print(len(re.findall(r"<heap nr=", open(out.name).read())))
"""


def heaps(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's arenas are Linux's")
def test_threads_share_two_arenas_once_a_process_asks_for_few() -> None:
    assert heaps("many") > 2  # glibc's default: an arena per thread that allocates, up to 8 per core
    assert heaps("few") == 2

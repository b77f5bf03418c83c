"""The reader benchmark's load: signed-in readers reading pages at once through a server, and the table."""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "teh manis hangat sore"


def free_port() -> int:
    """Return a TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def process_tree_cpu(pid: int) -> float:
    """Return the CPU seconds a process and its living descendants have used."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


class Reader:
    """One signed-in reader on a keep-alive connection."""

    def __init__(self, port: int, number: int) -> None:
        """Connect to the server on `port` and sign in as reader number `number`."""
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        page = self.get("/masuk").decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert token, "no CSRF token on the sign-in page"
        form = {"csrf_token": token.group(1), "email": f"pembaca{number}@example.id", "password": PASSWORD}
        status, _ = self.request("POST", "/masuk", urllib.parse.urlencode(form))
        assert status == 303, f"sign-in answered {status}"

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        """Send a request with the reader's cookies; keep the cookies it sets."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def get(self, path: str) -> bytes:
        """Return the body of a page that must answer 200."""
        status, data = self.request("GET", path)
        assert status == 200, f"{path} answered {status}"
        return data


@dataclass
class Run:
    """Latencies of one phase and the server CPU it took."""

    times: list[float]
    not_ready: int
    cpu: float
    wall: float

    def p(self, share: float) -> float:
        """Return a percentile of the latencies, in ms."""
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def read_together(readers: list[Reader], publication: int, pages: int, total: int, server: int) -> Run:
    """Let every reader read `pages` pages at once, each from its own place; time each picture."""
    times: list[float] = []
    not_ready = [0]
    lock = threading.Lock()
    start_line = threading.Barrier(len(readers))

    def read(position: int, reader: Reader) -> None:
        """Read `pages` pages from this reader's place in the book, retrying a page not ready yet."""
        first = position * total // len(readers)
        # As a browser does: the reader's page names the reading session its pictures are asked in.
        found = re.search(r"sesi=([0-9A-Z]+)", reader.get(f"/baca/{publication}").decode())
        assert found, "the reader's page names no reading session"
        session = found.group(1)
        start_line.wait()
        for step in range(pages):
            number = (first + step) % total + 1
            began = time.perf_counter()
            while True:
                status, data = reader.request(
                    "GET", f"/baca/{publication}/halaman/{number}.jpg?sesi={session}"
                )
                if status != 503:
                    break
                with lock:
                    not_ready[0] += 1
                time.sleep(0.7)  # as the reader's page does
            assert status == 200 and data, f"page {number} answered {status}"
            with lock:
                times.append(time.perf_counter() - began)

    threads = [threading.Thread(target=read, args=(i, r)) for i, r in enumerate(readers)]
    cpu_before, wall_before = process_tree_cpu(server), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Run(times, not_ready[0], process_tree_cpu(server) - cpu_before, time.perf_counter() - wall_before)


def print_runs(runs: dict[str, Run], args: argparse.Namespace) -> None:
    """Print the latency table and the ratios against the old path."""
    readers = args.readers
    print(f"\n3. A page picture through waitress ({args.threads} threads), {readers} readers at once")
    print(f"{'':26}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'pages/s':>9}{'CPU ms/page':>12}{'503s':>6}")
    for name, run in runs.items():
        print(
            f"{name:26}{run.p(0.5):8.0f}{run.p(0.95):8.0f}{max(run.times) * 1000:8.0f}"
            f"{len(run.times) / run.wall:9.1f}{run.cpu / len(run.times) * 1000:12.1f}{run.not_ready:6d}"
        )
    old = runs["old path (no cache)"]
    for name in ("new path, cache empty", "new path, cache warm"):
        new = runs[name]
        print(
            f"old/new, {name[10:]}: p95 {old.p(0.95) / new.p(0.95):4.1f}x, "
            f"pages/s {len(new.times) / new.wall / (len(old.times) / old.wall):4.1f}x, "
            f"CPU per page {old.cpu / len(old.times) / (new.cpu / len(new.times)):4.1f}x"
        )
    worst = max(runs["new path, cache empty"].p(0.95), runs["new path, cache warm"].p(0.95))
    verdict = "ok" if worst <= 150 else "MISSED"
    print(f"goal: p95 <= 150 ms with {readers} readers at once: worst new p95 {worst:.0f} ms: {verdict}")

"""`pustaka serve` refuses a 200 MB sign-in without reading it: few bytes taken, memory flat."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from tests.integration.cli.test_serve import children_of, serving
from tests.integration.webapp.server.test_body_gate import answer_of
from tests.waiting import wait_until

MB = 1024 * 1024


def resident_mb(pids: set[int]) -> float:
    """Return the resident memory of the processes, in megabytes."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def test_a_200_mb_post_to_sign_in_is_refused_after_a_small_part_of_it(tmp_path: Path) -> None:
    with serving(tmp_path, ["--no-demo", "--processes", "1", "--threads", "2"]) as (process, url, output):
        wait_until(
            lambda: "is running" in output.read_text(), timeout=240, message="serve never said it is running"
        )
        with urllib.request.urlopen(f"{url}/masuk", timeout=30) as page:  # the web process has started
            assert page.status == 200
        server = children_of(process.pid) | {process.pid}
        before = resident_mb(server)
        parts = urlsplit(url)
        sent = 0
        with socket.create_connection((parts.hostname, parts.port), timeout=60) as conn:
            conn.sendall(
                b"POST /masuk HTTP/1.1\r\nHost: pustaka\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: %d\r\n\r\n" % (200 * MB)
            )
            try:
                while sent < 200 * MB:
                    conn.sendall(b"a" * MB)
                    sent += MB
            except OSError:  # the server answered and closed the connection, the rest unread
                pass
            answer = answer_of(conn)
        assert answer.startswith(b"HTTP/1.1 413 ")
        assert "Terlalu banyak yang dikirim" in answer.decode(errors="replace")
        # What the socket buffers hold on the way is all the server let in: not the 200 MB.
        assert sent < 50 * MB
        assert resident_mb(server) - before < 50
        with urllib.request.urlopen(f"{url}/masuk", timeout=30) as page:  # and it goes on serving
            assert page.status == 200

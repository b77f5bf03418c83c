"""`pustaka serve` as a person starts it: demo searchable when it says running, children kept alive."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from library.settings import Settings
from runtime.instance_lock import hold_serve_lock
from runtime.root import Runtime
from tests.waiting import wait_until

PUSTAKA = [sys.executable, "-c", "from cli import main; main()"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode()


@contextmanager
def serving(
    tmp_path: Path, args: list[str], **env: str
) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    """Start `pustaka serve ARGS` on a fresh instance; yield (process, url, output file)."""
    port = free_port()
    environ = {**os.environ, "PUSTAKA_INSTANCE_DIR": str(tmp_path / "instance"), "PUSTAKA_OCR_PROCESSES": "1"}
    for name in ("PUSTAKA_DATABASE_URL", "PUSTAKA_REDIS_URL", "PUSTAKA_PROXY_COUNT"):
        environ.pop(name, None)
    output = tmp_path / "serve.log"
    with output.open("wb") as out:
        process = subprocess.Popen(
            [*PUSTAKA, "serve", "--port", str(port), *args],
            env={**environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process, f"http://127.0.0.1:{port}", output
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def started(tmp_path: Path):
    """Start `pustaka serve` on a fresh instance with the demo; yield (process, url, output file)."""
    with serving(tmp_path, ["--processes", "2"]) as running:
        yield running


def test_serve_says_running_only_once_the_demo_is_searchable_and_keeps_its_processes(started) -> None:
    process, url, output = started
    wait_until(
        lambda: "is running" in output.read_text(),
        timeout=240,
        message="timed out waiting for serve to say it is running",
    )
    # At once, without waiting for any job: the born-digital demo publications are found.
    status, page = get(f"{url}/cari/?q=penduduk")
    assert status == 200
    found = re.search(r'id="results-count"[^>]*>\s*(\d+) publikasi', page)
    assert found and int(found.group(1)) > 0, page[-2000:]

    web_and_jobs = children_of(process.pid) - {p for p in children_of(process.pid) if _is_tracker(p)}
    assert len(web_and_jobs) == 3  # two web processes and the job process
    names = {Path(f"/proc/{pid}/comm").read_text().strip() for pid in web_and_jobs}
    assert names == {"pustaka web 1", "pustaka web 2", "pustaka jobs"}  # as `ps` and `top` show them
    victim = min(web_and_jobs)
    os.kill(victim, signal.SIGKILL)
    webs = wait_until(
        lambda: (
            web_processes(process.pid, without=victim)
            if len(web_processes(process.pid, victim)) == 2
            else None
        ),
        timeout=30,
        message="timed out waiting for the process to be started again",
    )
    for _ in range(4):  # every answer comes, whichever process takes the connection
        assert get(f"{url}/")[0] == 200
    # /metrics sums what every process counted (the one killed included), and reads the lanes.
    metrics = get(f"{url}/metrics")[1]
    assert 'pustaka_http_requests_total{method="GET",route="/",status="200"} 4.0' in metrics
    listed = {
        int(pid) for pid in re.findall(r'pustaka_process_resident_bytes\{kind="web",pid="(\d+)"\}', metrics)
    }
    assert listed and listed <= set(webs)  # the killed process's memory left with it
    assert 'pustaka_workers_live{lane="batch"} 1.0' in metrics  # the job process's heartbeat
    assert get(f"{url}/readyz")[0] == 200
    port = int(urllib.parse.urlsplit(url).port or 0)
    with ExitStack() as probes:  # until each web process (the one started again too) holds one
        wait_until(
            lambda: probes.enter_context(keep_alive(port, 1)) and all(connections_held(p, port) for p in webs)
        )
    with keep_alive(port, 24):  # as browsers' or a proxy's connections: opened at once, then kept
        # The probes just closed may still show as established until the kernel has taken
        # their reset (deferred on a busy machine): wait until only the 24 are counted.
        def counted() -> list[int] | None:
            counts = [connections_held(pid, port) for pid in webs]
            return counts if sum(counts) == 24 else None

        held = wait_until(counted, message="the web processes never held exactly the 24 connections")
    assert sum(held) == 24 and max(held) - min(held) <= 3, held  # each process takes its share

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert children_of(process.pid) == set()


def web_processes(pid: int, without: int) -> list[int]:
    """Return the web processes of `pustaka serve` process `pid`, leaving out process `without`."""
    return [
        child
        for child in children_of(pid) - {without}
        if Path(f"/proc/{child}/comm").read_text().startswith("pustaka web")
    ]


@contextmanager
def keep_alive(port: int, count: int) -> Iterator[bool]:
    """Open `count` connections at once, then ask a page on each and keep them open in the block."""
    opened = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(count)]
    try:
        for sock in opened:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        for sock in opened:  # answered: accepted by some web process, and still held by it
            assert sock.recv(12).startswith(b"HTTP/1.1 200")
        yield True
    finally:
        for sock in opened:
            sock.close()


def connections_held(pid: int, port: int) -> int:
    """Count the established connections to `port` that process `pid` holds (Linux /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    held = 0
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01" and fields[9] in inodes:  # 01: established
                held += 1
    return held


def _is_tracker(pid: int) -> bool:
    try:
        return b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True


def test_serve_on_a_taken_port_says_so_at_once(tmp_path: Path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)], obj=Runtime(settings))
    assert result.exit_code == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in result.output
    assert not (tmp_path / "instance" / "pustaka.sqlite3").exists()  # nothing was started


def test_a_second_serve_of_the_same_instance_is_refused_naming_the_first_and_its_metrics_kept(
    tmp_path: Path,
) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance")
    first = hold_serve_lock(settings, "http://127.0.0.1:8000/")  # as a running `pustaka serve` holds it
    counted = tmp_path / "instance" / "metrics" / "counter_123.db"
    counted.parent.mkdir(parents=True)
    counted.write_bytes(b"figures")
    try:
        result = CliRunner().invoke(main, ["serve", "--port", str(free_port())], obj=Runtime(settings))
    finally:
        first.close()
    assert result.exit_code == 1
    assert f"already served by pustaka serve (pid {os.getpid()}) at http://127.0.0.1:8000/" in result.output
    assert counted.read_bytes() == b"figures"  # the running one's figures stay
    assert not (tmp_path / "instance" / "pustaka.sqlite3").exists()  # nothing was started


GUEST = {"name": "Siti Aminah", "sex": "female", "age_band": "17_25", "education": "bachelor"}
GUEST |= {"occupation": "student", "institution": "Universitas Lampung", "purpose": "Mencari data"}
GUEST |= {"services": "library", "started": "not-a-signed-time"}  # refused as a program's: counted


def sign_guest_book_from(url: str, address: str) -> int:
    """Send the guest book through a proxy that says the client is `address`; return the status."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    browser.addheaders = [("X-Forwarded-For", address)]
    with browser.open(f"{url}/buku-tamu", timeout=30) as form:
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.read().decode())
    assert csrf
    body = urllib.parse.urlencode({**GUEST, "csrf_token": csrf.group(1)}).encode()
    try:
        with browser.open(f"{url}/buku-tamu", data=body, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return refused.code


def test_behind_a_trusted_proxy_the_guest_book_limit_counts_each_forwarded_address(tmp_path: Path) -> None:
    args = ["--no-demo", "--processes", "1"]
    with serving(tmp_path, args, PUSTAKA_PROXY_COUNT="1") as (_, url, output):
        wait_until(
            lambda: "is running" in output.read_text(),
            timeout=120,
            message="timed out waiting for serve to say it is running",
        )
        for _ in range(20):
            assert sign_guest_book_from(url, "203.0.113.7") == 400
        assert sign_guest_book_from(url, "203.0.113.7") == 429
        assert sign_guest_book_from(url, "203.0.113.8") == 400


def serve_on_a_taken_port(tmp_path: Path, base_url: str | None = None) -> tuple[int, str]:
    """Run `pustaka serve --port P` where P is taken, so it stops at once; return P and the output.

    `base_url` may hold "{port}", filled with P.
    """
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        overrides = {} if base_url is None else {"base_url": base_url.format(port=port)}
        rt = Runtime(Settings.from_env({}, instance_dir=tmp_path / "instance", **overrides))
        result = CliRunner().invoke(main, ["serve", "--port", str(port)], obj=rt)
    assert result.exit_code == 1
    return port, result.output


def test_serve_on_another_port_than_the_base_url_says_what_to_set(tmp_path: Path) -> None:
    port, output = serve_on_a_taken_port(tmp_path)
    assert "PUSTAKA_BASE_URL is http://127.0.0.1:8000" in output
    assert f"Set PUSTAKA_BASE_URL=http://127.0.0.1:{port}" in output


def test_serve_where_the_base_url_points_gives_no_warning(tmp_path: Path) -> None:
    _, output = serve_on_a_taken_port(tmp_path, "http://localhost:{port}")
    assert "PUSTAKA_BASE_URL" not in output


def test_serve_behind_a_public_address_gives_no_warning(tmp_path: Path) -> None:
    _, output = serve_on_a_taken_port(tmp_path, "https://pst.example.go.id")
    assert "PUSTAKA_BASE_URL" not in output


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["worker"]])
def test_serve_and_worker_refuse_to_start_on_a_misspelt_setting_or_a_broken_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "i")
    settings.secrets_path.mkdir(parents=True, mode=0o700)
    (settings.secrets_path / "secret_key").write_text("")  # emptied by hand: the first sign-in would fail
    assert CliRunner().invoke(main, ["db", "upgrade"], obj=Runtime(settings)).exit_code == 0
    monkeypatch.setenv("PUSTAKA_REDIS_ULR", "redis://127.0.0.1:6379/0")
    result = CliRunner().invoke(main, command, obj=Runtime(settings))
    assert result.exit_code == 1, result.output
    assert f"`pustaka {command[0]}` did not start" in result.output
    assert "PUSTAKA_REDIS_ULR (did you mean PUSTAKA_REDIS_URL?)" in result.output
    assert f"{settings.secrets_path / 'secret_key'} is empty or too short" in result.output
    assert not (tmp_path / "i" / "serve.lock").exists()  # refused before anything was held or made

"""Two web hosts and a worker on one PostgreSQL, one Redis and one shared folder (docs/production.md).

Each host is a real `pustaka serve --web-only` in an instance folder of its own; what they
share is only what the recipe shares: the database, Redis, the file store's folder and the
keys' folder. A reader's journey alternates hosts, and one host is killed in the middle of it.
"""

from __future__ import annotations

import datetime as dt
import json
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
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, text

from cli import main
from library.db import make_engine, make_session_factory
from library.frontoffice.guest_book import start_form
from library.models import Role
from library.settings import Settings
from library.uow import UnitOfWork
from runtime.root import Runtime
from tests.conftest import postgres_schema, redis_reachable, require_service
from tests.demo_fixtures import clone_instance
from tests.integration.library.accounts_helpers import stored_person
from tests.integration.library.pdf_helpers import tiny_pdf
from tests.waiting import wait_until

pytestmark = pytest.mark.postgres

PUSTAKA = [sys.executable, "-c", "from cli import main; main()"]
SERVE = ["serve", "--web-only", "--processes", "1", "--port"]
# A Redis database of its own, emptied before and after: one per test worker (11-14), as the
# module's tests may be spread over workers (each then runs a cluster of its own).
REDIS_URL = f"redis://127.0.0.1:6379/{11 + int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:]) % 4}"
PASSWORD = "kopi tubruk pagi hari"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
GUEST = {"name": "Siti Aminah", "sex": "female", "age_band": "17_25", "education": "bachelor"}
GUEST |= {"occupation": "student", "institution": "Universitas Lampung", "purpose": "Mencari data"}
GUEST |= {"phone": "", "email": "", "website": ""}
NUMBER = re.compile(r"PS-\d{8}-\d{5}")


def free_port() -> int:
    """Return a loopback port no one listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """The shared settings, the hosts' addresses and processes, the worker."""

    shared: dict[str, str]
    urls: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]]
    engine: Engine

    def kill(self, name: str) -> None:
        """Kill a host's whole process group at once, as a machine that loses power would."""
        os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait()


def start(name: str, args: list[str], folder: Path, shared: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start `pustaka ARGS` in an instance folder of its own; its output goes to folder/NAME.log."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PUSTAKA_")}
    environ |= shared | {"PUSTAKA_INSTANCE_DIR": str(folder / name)}
    with (folder / f"{name}.log").open("wb") as out:
        return subprocess.Popen(
            [*PUSTAKA, *args], env=environ, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


@pytest.fixture(scope="module")
def cluster(demo_instance: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Move the demo onto the shared services, then start hosts a and b and a worker on them."""
    require_service("Redis", redis_reachable())
    import redis

    queue = redis.Redis.from_url(REDIS_URL)
    queue.flushdb()
    folder = tmp_path_factory.mktemp("hosts")
    with postgres_schema("pustaka_hosts", migrated=False) as url:
        source = Settings.from_env({}, instance_dir=clone_instance(demo_instance, folder / "single"))
        words = ["move", "--to-database", url, "--to-files", str(folder / "shared" / "files")]
        words += ["--to-secrets", str(folder / "shared" / "secrets")]
        moved = CliRunner().invoke(main, words, obj=Runtime(source))
        assert moved.exit_code == 0, moved.output
        ports = {"a": free_port(), "b": free_port()}
        shared = {
            "PUSTAKA_DATABASE_URL": url,
            "PUSTAKA_REDIS_URL": REDIS_URL,
            "PUSTAKA_FILES_DIR": str(folder / "shared" / "files"),
            "PUSTAKA_SECRETS_DIR": str(folder / "shared" / "secrets"),
            "PUSTAKA_BASE_URL": f"http://127.0.0.1:{ports['a']}",
            "PUSTAKA_PROXY_COUNT": "1",  # the rate-limit test says which client it is
            "PUSTAKA_RATE_LIMIT_ATTEMPTS": "3",
            "PUSTAKA_OCR_PROCESSES": "1",
        }
        processes = {
            host: start(
                host, ["serve", "--web-only", "--processes", "1", "--port", str(port)], folder, shared
            )
            for host, port in ports.items()
        }
        processes["worker"] = start("worker", ["worker"], folder, shared)
        engine = make_engine(url)
        try:
            for name in processes:
                log = folder / f"{name}.log"
                wait_until(
                    lambda log=log: re.search(r"is running|Pustaka worker:", log.read_text()),
                    timeout=120,
                    message=f"{name} did not start",
                )
            urls = {host: f"http://127.0.0.1:{port}" for host, port in ports.items()}
            yield Cluster(shared, urls, processes, engine)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            engine.dispose()
            queue.flushdb()
            queue.close()


class Browser:
    """One person's browser: one cookie jar, whichever host it talks to."""

    def __init__(self, forwarded_for: str = "") -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        if forwarded_for:
            self.opener.addheaders = [("X-Forwarded-For", forwarded_for)]

    def get(self, url: str) -> tuple[int, bytes, str]:
        """Open a page; return its status, body and final address."""
        return self._open(url, None)

    def post(self, url: str, form_page: str, fields: dict[str, str]) -> tuple[int, bytes, str]:
        """Send a form with the token of the page that shows it (which may be on another host)."""
        _, page, _ = self.get(form_page)
        token = CSRF.search(page.decode())
        assert token, f"no form token on {form_page}"
        body = urllib.parse.urlencode({**fields, "csrf_token": token.group(1)}).encode()
        return self._open(url, body)

    def upload(
        self, url: str, form_page: str, fields: dict[str, str], file: tuple[str, bytes]
    ) -> tuple[int, bytes, str]:
        """Send a form with one file (multipart), as a browser's upload does."""
        _, page, _ = self.get(form_page)
        token = CSRF.search(page.decode())
        assert token, f"no form token on {form_page}"
        boundary = "----pustaka-test-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in {**fields, "csrf_token": token.group(1)}.items()
        ]
        name, content = file
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        kind = f"multipart/form-data; boundary={boundary}"
        return self._open(url, body, kind)

    def _open(self, url: str, body: bytes | None, kind: str = "") -> tuple[int, bytes, str]:
        request = urllib.request.Request(url, data=body, headers={"Content-Type": kind} if kind else {})
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, answer.read(), answer.url
        except urllib.error.HTTPError as refused:
            with refused:
                return refused.code, refused.read(), url


def person(cluster: Cluster, email: str, role: Role = Role.READER) -> int:
    """Store a verified person on the shared database; return their id."""
    uow = UnitOfWork(make_session_factory(cluster.engine))
    return stored_person(uow, email, (role,), "Ani Suryani", password=PASSWORD, email_verified=True).id


def scalar(cluster: Cluster, sql: str, **params: object) -> object:
    """Return one value from the shared database."""
    with cluster.engine.connect() as conn:
        return conn.scalar(text(sql), params)


def test_failed_sign_ins_on_either_host_count_against_one_limit(cluster: Cluster) -> None:
    a, b = cluster.urls["a"], cluster.urls["b"]
    browser = Browser(forwarded_for="203.0.113.50")
    wrong = {"email": "nobody@example.id", "password": "salah sekali"}
    for host in (a, b, a):  # three attempts allowed, wherever they land
        status, _, _ = browser.post(f"{host}/masuk", f"{host}/masuk", wrong)
        assert status == 400  # the form again, saying the password is wrong
    assert browser.post(f"{b}/masuk", f"{b}/masuk", wrong)[0] == 429


def test_a_publication_uploaded_on_one_host_is_taken_in_by_the_worker_and_found_on_the_other(
    cluster: Cluster,
) -> None:
    a, b = cluster.urls["a"], cluster.urls["b"]
    librarian = Browser()
    person(cluster, "pustakawan@example.id", Role.LIBRARIAN)
    signing_in = {"email": "pustakawan@example.id", "password": PASSWORD}
    assert librarian.post(f"{a}/masuk", f"{a}/masuk", signing_in)[0] == 200
    title = "Statistik Perkebunan Desa Gunungterang 2031"
    fields = {"title": title, "access_level": "open"}
    status, _, where = librarian.upload(
        f"{a}/meja/ingest/baru", f"{b}/meja/ingest/baru", fields, ("gunungterang.pdf", tiny_pdf(title, 2))
    )
    job = re.search(r"/meja/ingest/(\d+)$", where)
    assert status == 200 and job, where

    def finished() -> bool:
        answer = json.loads(librarian.get(f"{b}/meja/ingest/{job[1]}/status.json")[1])
        assert answer["status"] != "failed", answer
        return bool(answer["finished"])

    wait_until(finished, timeout=180, interval=0.5, message="the worker never took the upload in")
    answer = json.loads(librarian.get(f"{b}/meja/ingest/{job[1]}/status.json")[1])
    draft = scalar(cluster, f"SELECT version FROM publication WHERE id = {int(answer['publication_id'])}")
    publish = f"{a}/meja/publikasi/{answer['publication_id']}"
    assert Browser().get(f"{b}/cari/?q=gunungterang")[1].decode().count(title) == 0  # a draft, unseen
    done = librarian.post(f"{publish}/terbitkan", f"{publish}/ubah", {"terbitkan-version": str(draft)})
    assert done[0] == 200, done[1][-500:]  # published on host a
    found = Browser().get(f"{b}/cari/?q=gunungterang")[1].decode()
    assert re.search(r'id="results-count"[^>]*>\s*1 publikasi', found), found[-1500:]
    assert title in found


def test_the_guest_book_the_board_and_the_console_answer_on_either_host(cluster: Cluster) -> None:
    a, b = (
        cluster.urls["a"],
        cluster.urls["b"] if cluster.processes["b"].poll() is None else cluster.urls["a"],
    )
    kiosk = Browser()
    # The form's signed opening time, as host a would have signed it half a minute ago (the
    # keys are shared, so b reads it); a visitor takes longer than that to fill it in.
    key = (Path(cluster.shared["PUSTAKA_SECRETS_DIR"]) / "secret_key").read_text().strip().encode()
    opened = start_form(key, dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30))
    entry = {**GUEST, "services": "library", "started": opened}
    status, _, where = kiosk.post(f"{b}/buku-tamu", f"{a}/buku-tamu", entry)
    assert status == 200 and "/buku-tamu/tiket/" in where, where
    code = scalar(cluster, "SELECT code FROM ticket ORDER BY id DESC LIMIT 1")

    def waiting_on(host: str) -> list[str]:
        board = json.loads(kiosk.get(f"{host}/antrean/data.json")[1])
        return [s["code"] for s in board["services"] if s["waiting"]]

    assert waiting_on(a) == ["library"]
    staff = Browser()
    person(cluster, "petugas@example.id", Role.FRONT_OFFICE)
    signing_in = {"email": "petugas@example.id", "password": PASSWORD}
    assert staff.post(f"{b}/masuk", f"{b}/masuk", signing_in)[0] == 200
    counter = staff.post(f"{a}/loket/perpustakaan/loket", f"{b}/loket/perpustakaan", {"counter": "Loket 2"})
    assert counter[0] == 200
    called = staff.post(f"{b}/loket/perpustakaan/panggil", f"{a}/loket/perpustakaan", {})
    assert called[0] == 200
    latest = json.loads(kiosk.get(f"{a}/antrean/data.json")[1])["latest"]
    assert latest["code"] == code and latest["counter"] == "Loket 2"


# Last in the module: it kills host b.
def test_a_journey_across_hosts_finishes_on_one_when_the_other_is_killed(cluster: Cluster) -> None:
    a, b = cluster.urls["a"], cluster.urls["b"]
    reader = person(cluster, "ani@example.id")
    publication = scalar(cluster, "SELECT MIN(id) FROM publication WHERE access_level = 'open'")
    browser = Browser()

    # Signed in on a; b knows the session (the keys are shared), and so does a form's token.
    status, _, where = browser.post(
        f"{a}/masuk", f"{b}/masuk", {"email": "ani@example.id", "password": PASSWORD}
    )
    assert status == 200 and "/masuk" not in where
    status, page, _ = browser.get(f"{b}/katalog/{publication}/minta")
    assert status == 200 and b"Ani Suryani" in page

    # Read on b: its page cache is its own; a renders the same page again from the shared store.
    for host in (b, a):
        status, picture, _ = browser.get(f"{host}/baca/{publication}/halaman/1.jpg")
        assert status == 200 and picture.startswith(b"\xff\xd8")
    found = browser.get(f"{b}/cari/?q=penduduk")[1].decode()
    assert re.search(r'id="results-count"[^>]*>\s*[1-9]\d* publikasi', found)

    # Asked for on b, which dies right after; the worker makes the copy; a finishes the journey.
    form = {"scope": "whole", "pages": "", "tables": "", "purpose": "thesis", "agreed": "y"}
    form["intended_use"] = "Tabel penduduk untuk skripsi saya tentang migrasi."
    status, _, where = browser.post(
        f"{b}/katalog/{publication}/minta", f"{b}/katalog/{publication}/minta", form
    )
    number = NUMBER.search(where)
    assert status == 200 and number, where
    cluster.kill("b")
    # Sent again on a (the person saw no answer, say): the request already made is named instead.
    status, again, _ = browser.post(
        f"{a}/katalog/{publication}/minta", f"{a}/katalog/{publication}/minta", form
    )
    assert status == 400 and number[0].encode() in again

    def ready() -> bool:
        status, body, _ = browser.get(f"{a}/permintaan/{number[0]}/status")
        assert status == 200
        return json.loads(body)["status"] in ("ready", "failed")

    wait_until(ready, timeout=180, interval=0.5, message="the copy was never made")
    assert scalar(cluster, "SELECT status FROM softcopy_request WHERE number = :n", n=number[0]) == "ready"
    got_status, copy, _ = browser.post(f"{a}/permintaan/{number[0]}/unduh", f"{a}/permintaan/{number[0]}", {})
    assert got_status == 200
    with pymupdf.open(stream=copy, filetype="pdf") as pdf:
        assert "Ani Suryani" in pdf[0].get_text()
    assert scalar(cluster, "SELECT COUNT(*) FROM softcopy_request WHERE user_id = :u", u=reader) == 1
    assert scalar(cluster, "SELECT COUNT(*) FROM delivery WHERE recipient_user_id = :u", u=reader) == 1
    assert scalar(cluster, "SELECT downloads FROM softcopy_request WHERE number = :n", n=number[0]) == 1

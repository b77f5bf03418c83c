"""The shipped nginx site while Pustaka is down, and on its first run (before any certificate).

Visitors get the maintenance page (Indonesian first, then English) with 503 and Retry-After when
the app behind nginx is stopped, or when the administrator sets the maintenance flag during an
upgrade; the probes still reach the app. The site as docs/production.md step 5 edits it passes
`nginx -t` before certbot has made a certificate.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from tests.conftest import require_service
from tests.functional.nginx_site import NGINX, PAGE, SITE, nginx_conf, running_nginx, site_conf
from tests.integration.library.mail.test_mail import free_port

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "production.md"
INDONESIAN = "Layanan sedang dalam pemeliharaan"
ENGLISH = "Service under maintenance"


@pytest.fixture
def prefix() -> Iterator[Path]:
    """Return a folder for nginx's files that its workers (nobody, when started as root) can read."""
    require_service("nginx", NGINX is not None)
    folder = Path(tempfile.mkdtemp(prefix="pustaka-nginx-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _app(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
    """Answer every request as a running Pustaka would answer /healthz: 200 and a word."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"app {environ['PATH_INFO']}".encode()]


@pytest.fixture
def app_port() -> Iterator[int]:
    """Return the port of a running stand-in for the app."""
    port = free_port()
    server = make_server("127.0.0.1", port, _app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield port
    server.shutdown()
    thread.join()


def _maintenance(answer: requests.Response) -> bool:
    """Tell whether an answer is the maintenance page, as nginx must send it."""
    return (
        answer.status_code == 503
        and answer.headers.get("Retry-After") == "120"
        and answer.headers.get("Cache-Control") == "no-store"
        and answer.text.index(INDONESIAN) < answer.text.index(ENGLISH)
    )


def test_a_stopped_app_shows_the_maintenance_page_with_503_for_every_page_and_form(prefix: Path) -> None:
    listen, stopped = free_port(), free_port()  # nothing listens on the app's port
    with running_nginx(
        prefix, nginx_conf(prefix, site_conf(prefix, listen=listen, app_port=stopped)), listen
    ):
        url = f"http://127.0.0.1:{listen}"
        assert _maintenance(requests.get(f"{url}/katalog", timeout=10))
        assert _maintenance(requests.post(f"{url}/masuk", data={"email": "a@b.id"}, timeout=10))
        assert requests.get(f"{url}/_maintenance.html", timeout=10).status_code == 404  # internal only


def test_the_maintenance_flag_shows_the_page_on_purpose_and_lets_the_probes_through(
    prefix: Path, app_port: int
) -> None:
    listen = free_port()
    flag = prefix / "maintenance"
    with running_nginx(
        prefix, nginx_conf(prefix, site_conf(prefix, listen=listen, app_port=app_port)), listen
    ):
        url = f"http://127.0.0.1:{listen}"
        assert requests.get(f"{url}/katalog", timeout=10).text == "app /katalog"
        flag.touch()  # sudo touch /etc/pustaka/maintenance
        assert _maintenance(requests.get(f"{url}/katalog", timeout=10))
        assert requests.get(f"{url}/readyz", timeout=10).text == "app /readyz"
        assert requests.get(f"{url}/healthz", timeout=10).text == "app /healthz"
        flag.unlink()  # sudo rm /etc/pustaka/maintenance
        assert requests.get(f"{url}/katalog", timeout=10).text == "app /katalog"


def _step_five() -> list[str]:
    """Return the commands of docs/production.md step 5 (nginx, TLS), one a line."""
    guide = GUIDE.read_text()
    step = guide[guide.index("## 5.") :]
    block = step[step.index("```sh\n") + 6 : step.index("```", step.index("```sh\n") + 6)]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def test_the_site_as_the_guide_names_it_passes_nginx_t_before_any_certificate_exists(prefix: Path) -> None:
    commands = _step_five()
    first_test = next(i for i, c in enumerate(commands) if c.startswith("sudo nginx -t"))
    assert first_test < next(i for i, c in enumerate(commands) if "certbot --nginx" in c)
    assert "ssl_certificate" not in SITE.read_text()  # nothing names a certificate before certbot
    site = prefix / "sites-available-pustaka"
    shutil.copyfile(SITE, site)
    [rename] = [c for c in commands if c.startswith("sudo sed -i")]
    script = rename.removeprefix("sudo ").replace("/etc/nginx/sites-available/pustaka", str(site))
    subprocess.run(["sh", "-c", f"site=pst.bps1872.example; {script}"], check=True)
    assert re.findall(r"server_name (\S+);", site.read_text()) == ["pst.bps1872.example"]
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_conf(prefix, f"include {site};"))
    checked = subprocess.run(
        [str(NGINX), "-t", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_the_maintenance_page_is_self_contained_and_fits_a_360_pixel_screen() -> None:
    page = PAGE.read_text()
    assert '<html lang="id">' in page and '<section class="en" lang="en">' in page
    assert page.index(INDONESIAN) < page.index(ENGLISH)
    markup = re.sub(r"<!--.*?-->", "", page, flags=re.S)
    assert not re.search(r"(src|href)=|@import|url\(|//", markup)  # no file, font or script from elsewhere
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert not re.search(r"(?<!max-)width:\s*\d+px", page)  # nothing wider than the screen
    assert os.stat(PAGE).st_mode & 0o004  # readable by nginx's workers

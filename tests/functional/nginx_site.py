"""The shipped nginx site (deploy/nginx/pustaka.conf) as the tests run it: its paths swapped for theirs."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.waiting import wait_until

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
SITE = DEPLOY / "pustaka.conf"
PAGE = DEPLOY / "maintenance.html"
FLAG = "/etc/pustaka/maintenance"


def swap(text: str, old: str, new: str) -> str:
    """Replace a line's text the shipped site must hold (a test of an edited site proves nothing)."""
    assert old in text, old
    return text.replace(old, new)


def site_conf(prefix: Path, *, listen: int, app_port: int, files: Path | None = None) -> str:
    """Return the shipped site on 127.0.0.1:`listen` in front of `app_port`, its folders under `prefix`.

    The maintenance page is copied into `prefix` (nginx's workers read it there), and the flag
    that shows it on purpose is `prefix/maintenance`.
    """
    shutil.copyfile(PAGE, prefix / "maintenance.html")
    (prefix / "maintenance.html").chmod(0o644)
    text = SITE.read_text()
    text = swap(text, "listen 80;", f"listen 127.0.0.1:{listen};")
    text = swap(text, "proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://127.0.0.1:{app_port};")
    text = swap(text, f"-f {FLAG}", f"-f {prefix / 'maintenance'}")
    text = swap(
        text, "alias /opt/pustaka/deploy/nginx/maintenance.html;", f"alias {prefix}/maintenance.html;"
    )
    if files is not None:
        text = swap(text, "alias /var/lib/pustaka-files/;", f"alias {files}/;")
    return text


def nginx_conf(prefix: Path, site: str, *, user: str = "") -> str:
    """Return a whole nginx configuration around a site, its every file under `prefix`."""
    return f"""
{user}
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    {site}
}}
"""


@contextmanager
def running_nginx(prefix: Path, conf: str, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """Run nginx on the configuration until the block ends; wait until it accepts connections."""
    assert NGINX is not None
    (prefix / "nginx.conf").write_text(conf)
    nginx = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    )

    def accepting() -> bool:
        assert nginx.poll() is None, (prefix / "error.log").read_text()
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_until(accepting, timeout=30, message="nginx did not start")
        yield nginx
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)

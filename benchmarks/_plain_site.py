"""The serving benchmark's baseline: Flask on waitress, served the way `pustaka serve` serves.

    python -m benchmarks._plain_site --port 8001 --processes 2 --threads 8 --page-kb 40

Two routes: `/` answers a word (the framework's ceiling) and `/page` renders a Jinja template
of about the search page's size with no search behind it. Like `pustaka serve`, one socket is
shared by several forked web processes, each running waitress with the same threads.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys

from flask import Flask, render_template_string
from waitress import serve

logging.getLogger("waitress").setLevel(logging.ERROR)  # not "Task queue depth" per burst

PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1><ol>
{% for row in rows %}<li><a href="/publikasi/{{ row.number }}">{{ row.title }}</a>
<p class="snippet">{{ row.text }}</p></li>
{% endfor %}</ol></main></body></html>"""


def build_app(page_kb: int) -> Flask:
    """Return the baseline app, its template page holding about `page_kb` kilobytes."""
    app = Flask(__name__)
    row_text = "Jumlah penduduk Kota Metro menurut kecamatan dan jenis kelamin, hasil proyeksi. " * 3
    rows = [
        {"number": n, "title": f"Statistik Daerah Kota Metro {2000 + n}", "text": row_text}
        for n in range(max(1, page_kb * 1024 // (len(row_text) + 120)))
    ]

    @app.get("/")
    def trivial() -> str:
        return "ok"

    @app.get("/page")
    def page() -> str:
        return render_template_string(PAGE, title="Hasil pencarian", rows=rows)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--page-kb", type=int, default=40)
    args = parser.parse_args()
    app = build_app(args.page_kb)
    sock = socket.create_server(("127.0.0.1", args.port), backlog=1024)
    children = []
    for _ in range(args.processes):
        pid = os.fork()
        if pid == 0:
            serve(app, sockets=[sock], threads=args.threads, _quiet=True)
            os._exit(0)
        children.append(pid)

    def stop(*_: object) -> None:
        for child in children:
            os.kill(child, signal.SIGTERM)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    for _ in children:
        os.wait()


if __name__ == "__main__":
    main()

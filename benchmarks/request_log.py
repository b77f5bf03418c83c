"""The access line's cost: CPU time of a search page with and without `webapp.request_log`.

    .venv/bin/python -m benchmarks.request_log [--requests 20] [--rounds 60] [--log-file]

A fresh instance with a few born-digital demo publications, indexed; the app through Flask's
test client, in this process, with the log set up as a web process has it (one line a request
to standard error, thrown away here as journald would take it; `--log-file`: to a file too).
Rounds alternate between the app with the access line and the same app without it
(`RequestLog`'s inner app), each going first in half of them; each round's CPU time (this
process's) is divided by its requests, and the medians are compared. Then the line alone:
the middleware around an app that answers at once, against that app bare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import catalog_data
from benchmarks._demo_instance import demo_instance
from library.catalogue.indexing import do_reindex
from library.settings import Settings
from library.uow import UnitOfWork
from runtime.logs import configure_logging
from search.whoosh.engine import WhooshSearchEngine
from webapp import create_app
from webapp.request_log import RequestLog

PAGE = "/cari/?q=penduduk"


def searchable_instance(root: Path, publications: int) -> None:
    """Take in some born-digital demo publications and index them."""
    keys = [r.key for r in catalog_data.load_demo_catalogue() if not r.scanned][:publications]
    engine, factory, _store = demo_instance(root, keys)
    index = WhooshSearchEngine(root / "search")
    with UnitOfWork(factory) as uow:
        do_reindex(uow, index, dt.date.today())
    index.close()
    engine.dispose()


def cpu_per_request(client, requests: int) -> float:
    """Return this process's CPU time per request of the search page, in milliseconds."""
    start = time.process_time()
    for _ in range(requests):
        response = client.get(PAGE, buffered=True)
        assert response.status_code == 200, response.status_code
    return (time.process_time() - start) * 1000 / requests


def main() -> None:
    """Measure and print the two medians and their ratio."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20, help="requests per round")
    parser.add_argument("--rounds", type=int, default=60, help="rounds of each")
    parser.add_argument("--publications", type=int, default=8)
    parser.add_argument("--log-file", action="store_true", help="also write the lines to a log file")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "instance"
        searchable_instance(root, options.publications)
        log_file = Path(folder) / "pustaka.log"
        settings = Settings.from_env(
            {}, instance_dir=root, log_file=str(log_file) if options.log_file else ""
        )
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - as journald would take them, not read here
        configure_logging(settings, "bench")
        app = create_app(settings)
        logged = app.wsgi_app
        assert isinstance(logged, RequestLog)
        client = app.test_client()
        cpu_per_request(client, 50)  # templates compiled, index open, caches warm
        gc.collect()
        gc.freeze()  # as a web process does after its warm-up (webapp.server.web_process)
        figures: dict[str, list[float]] = {"without": [], "with": []}
        variants = [("without", logged.app), ("with", logged)]
        for _ in range(options.rounds):
            variants.reverse()  # each goes first in half the rounds
            for name, wsgi in variants:
                app.wsgi_app = wsgi  # type: ignore[method-assign]
                figures[name].append(cpu_per_request(client, options.requests))
        lines = log_file.read_text().count("pustaka.access") if options.log_file else "-"
        alone = line_alone(logged)
    without, with_line = (statistics.median(figures[name]) for name in ("without", "with"))
    sys.stdout.write(
        f"search page {PAGE}, CPU per request (median of {options.rounds} rounds of {options.requests}):\n"
        f"  without the access line {without:.3f} ms\n"
        f"  with it                 {with_line:.3f} ms  ({with_line / without:.3f}x, "
        f"+{(with_line - without) * 1000:.0f} us; {lines} lines written)\n"
        f"the access line alone, around an app answering at once: {alone * 1000:.1f} us a request "
        f"({alone / without:.1%} of the search page without it)\n"
    )


def line_alone(logged: RequestLog, requests: int = 5000) -> float:
    """Return the CPU the middleware adds to a request, in ms: around an app that answers at once."""

    def instant(environ: dict, start_response) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/cari/", "QUERY_STRING": "q=penduduk"}
    bare, wrapped = instant, RequestLog(instant, logged.url_map)
    figures: dict[object, list[float]] = {bare: [], wrapped: []}
    for _ in range(5):
        for app in (bare, wrapped):
            start = time.process_time()
            for _ in range(requests):
                body = app(dict(environ), lambda status, headers, exc_info=None: None)
                b"".join(body)
                getattr(body, "close", lambda: None)()
            figures[app].append((time.process_time() - start) * 1000 / requests)
    return statistics.median(figures[wrapped]) - statistics.median(figures[bare])


if __name__ == "__main__":
    main()

"""What counting requests costs a page: the same app with its observability hooks and without them.

    python -m benchmarks.observability_cost --instance DIR       # an instance with the demo loaded
    python -m benchmarks.observability_cost                      # makes one (about a minute and a half)

One process, one app, the same requests in the same order: every round asks a mix with the
hooks that count each request (`webapp.metrics`: the request counter and latency histogram,
the memory reading) and the per-request log line (when present), then the same number of
other requests of that mix with those hooks taken out of the app, alternating for --rounds
rounds. Printed per mix: the process's CPU time per request each way (median round) and the
ratio. Mixes: new searches (each asked once, as the serving benchmark's "all new"), a reader's
common searches (answered from what the engine keeps, so the hooks' share is the largest of any
search page) and /healthz (the cheapest route: the hooks' cost alone, nearly). The figures are
counted in files shared across processes, as `pustaka serve` counts them. CPU time is the
process's own, so other work on the machine stretches it far less than the wall clock; the
goal (issue 60): search pages within 10 % of their cost without the hooks.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._search_paths import new_search_paths, search_paths  # noqa: E402
from benchmarks.search_page_cost import make_instance  # noqa: E402
from library.settings import Settings  # noqa: E402
from runtime.counted import count_across_processes  # noqa: E402
from runtime.logs import configure_logging  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.request_log import RequestLog  # noqa: E402

HOOKS = {"_started", "_count"}  # the metrics' hooks (webapp/metrics.py)


def without_hooks(app) -> None:
    """Take the counting hooks and the per-request log line's middleware out of the app."""
    for table in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        for key, functions in table.items():
            table[key] = [f for f in functions if f.__name__ not in HOOKS]
    if isinstance(app.wsgi_app, RequestLog):
        app.wsgi_app = app.wsgi_app.app


def cpu_per_request(client, paths: list[str], start: int) -> float:
    """Ask the paths (each from its own address) and return the CPU milliseconds per request."""
    began = time.process_time()
    for n, path in enumerate(paths, start):
        answer = client.get(
            path, headers={"X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}
        )
        answer.close()  # as a server does once it has sent the body: the request's log line is written
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}")
    return (time.process_time() - began) * 1000 / len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, help="an instance folder with the demo loaded")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=1000, help="requests of a mix per round and side")
    args = parser.parse_args()
    instance = args.instance or make_instance(Path(tempfile.mkdtemp(prefix="pustaka-obs-")))
    settings = Settings.from_env({"PUSTAKA_PROXY_COUNT": "1"}, instance_dir=instance)
    # As a web process logs: each request's line to standard error (here: a file, not the terminal).
    sys.stderr = open(instance / "observability-cost.log", "w")  # noqa: SIM115 - for the whole run
    configure_logging(settings, "benchmark")
    count_across_processes(settings, fresh=True)  # figures in shared files, as under `pustaka serve`
    hooked, plain = create_app(settings), create_app(settings)
    without_hooks(plain)
    count = args.requests
    fresh = new_search_paths(count * args.rounds * 2 + count, seed=60)
    mixes = {
        "new searches": lambda side, r: fresh[count + (2 * r + side) * count :][:count],
        "common searches": lambda side, r: (search_paths() * (count // len(search_paths()) + 1))[:count],
        "/healthz": lambda side, r: ["/healthz"] * count,
    }
    clients = (hooked.test_client(), plain.test_client())
    for client in clients:  # warm both up: templates compiled, the engine's common answers kept
        cpu_per_request(client, fresh[:count] + search_paths() + ["/healthz"], 0)
    print(f"{'mix':<18}{'with hooks':>14}{'without':>12}{'ratio':>8}")
    for name, paths in mixes.items():
        taken: tuple[list[float], list[float]] = ([], [])
        for r in range(args.rounds):
            for side in (0, 1) if r % 2 == 0 else (1, 0):
                taken[side].append(cpu_per_request(clients[side], paths(side, r), 1_000_000 * (side + 1)))
        with_ms, without_ms = (statistics.median(t) for t in taken)
        print(f"{name:<18}{with_ms:>11.3f} ms{without_ms:>9.3f} ms{with_ms / without_ms:>8.2f}")


if __name__ == "__main__":
    main()

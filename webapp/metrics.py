"""/metrics in Prometheus's text format: what the processes count, and the office as it stands.

Two kinds of figures:

- **counted** where they happen, in whichever process (`runtime.counted`): requests, searches,
  jobs, copies, each process's memory; summed across this host's processes when they count in
  files.
- **read** when /metrics is asked (`LiveFigures`): the lanes (depth, oldest job, live workers),
  readiness of each part, walk-in visitors waiting now and past their target, copies waiting and
  failing, consultations and complaints open and due: `library.operations.now`, the same figures
  as the live operations page and the alerts.

Only the addresses in PUSTAKA_METRICS_ADDRESSES, or a request with PUSTAKA_METRICS_TOKEN, may read it.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable

from flask import Flask, Response, g, request
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from library.settings import Settings
from runtime.counted import counted, exposition


def may_read(settings: Settings, address: str, authorization: str) -> bool:
    """Tell whether a request may read /metrics: from an allowed address, or with the token."""
    token = settings.metrics_token
    if token and hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
        return True
    from ipaddress import ip_address

    try:
        where = ip_address(address)
    except ValueError:
        return False
    return any(where in network for network in settings.metrics_networks)


def init_app(app: Flask, live_figures: Callable[[], Collector], client_address: Callable[[], str]) -> None:
    """Count every request, and serve /metrics (`live_figures()`: the collector read at each scrape)."""

    @app.before_request
    def _started() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        started = g.get("started")
        if started is not None:
            figures = counted()
            route = request.url_rule.rule if request.url_rule is not None else "(none)"
            figures.requests.labels(route, request.method, str(response.status_code)).inc()
            figures.latency.labels(route).observe(time.perf_counter() - started)
            figures.read_memory("web")
        return response

    def metrics() -> Response:
        rt = app.extensions["pustaka"]
        if not may_read(rt.settings, client_address(), request.headers.get("Authorization", "")):
            return Response("Not allowed: see PUSTAKA_METRICS_ADDRESSES and PUSTAKA_METRICS_TOKEN.\n", 403)
        return Response(exposition(live_figures()), mimetype=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", "metrics", metrics)

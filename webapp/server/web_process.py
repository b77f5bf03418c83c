"""A web process of `pustaka serve`: the app built once before the fork, then served by waitress.

The supervisor (`runtime.serving`) starts these processes with the function it is given
(`serve_web` bound to the app, the socket and the process's share): it never imports the web.
"""

from __future__ import annotations

import gc
import logging
import socket
import threading
import time
from collections.abc import Callable

from flask import Flask
from waitress.server import TcpWSGIServer

from runtime.alerting import AlertWatch
from runtime.root import Runtime
from runtime.supervisor import MemoryGiver, few_arenas
from search.whoosh import memory as whoosh_memory
from webapp.server.connection_shares import ConnectionShares, sharing_server
from webapp.server.idle_connections import shedding_server

log = logging.getLogger(__name__)


# The templates of the pages visitors open first (home, search, a publication, sign-in, an error):
# compiled once before the web processes fork. Each process compiles the rest as it warms up.
FIRST_TEMPLATES = (
    "base.html",
    "_macros.html",
    "_flashes.html",
    "_forms.html",
    "home/index.html",
    "search/index.html",
    "search/_results.html",
    "catalogue/detail.html",
    "accounts/login.html",
    "errors/error.html",
)


def web_app(rt: Runtime, threads: int) -> Flask:
    """Return the web app, built once before the web processes fork, ready for their first pages.

    Each web process starts with it (forked: nothing to import or build), with the first pages'
    templates compiled and the search modules, the stemmers and the database models' mappers
    ready: done in each process, they took ~0.7 s of its first answer's time (both processes
    doing them at once on the same cores); now a process answers ~0.2 s after it starts.
    """
    from sqlalchemy.orm import configure_mappers

    import search.whoosh.answers
    import search.whoosh.engine  # noqa: F401 - imported here, not by each process's first search
    from search.analysis import load_stemmers
    from webapp import create_app

    rt.serve_with_threads(threads)  # the pool each process opens for itself, sized for its threads
    app = create_app(rt)
    for name in FIRST_TEMPLATES:
        app.jinja_env.get_template(name)
    load_stemmers()
    configure_mappers()  # the models' mappers, else set up by each process's first query (~0.15 s)
    if rt.has_connected:  # building the app must not open what the processes would share
        raise RuntimeError("The web app connected to the database before the web processes started.")
    return app


def serve_web(
    rt: Runtime, app: Flask, sock: socket.socket, threads: int, share: tuple[ConnectionShares, int]
) -> None:
    """Run one web process on the shared socket (in a child), with the app built before the fork,
    taking its share of the connections (`webapp.server.connection_shares`)."""
    from webapp import bodies, compile_templates
    from webapp.server import body_gate

    few_arenas()  # before the first thread: its threads' heaps in two arenas, not one each
    # What a burst of requests took goes back to the system every few seconds, and the index
    # pages searches touched leave the process's resident set (they stay in the file cache) every
    # second: at a million pages new searches touch 20-30 MB of them a second, which held 40-160
    # MB in a web process when they left every 5 s; taking them back costs a minor fault each.
    MemoryGiver(
        interval=INDEX_PAGES_SECONDS,
        also=whoosh_memory.MAPS.release_resident,
        trim_every=round(GIVE_BACK_SECONDS / INDEX_PAGES_SECONDS),
    ).start()
    threading.Thread(target=_warm_up, args=(rt, app, compile_templates), name="warm-up", daemon=True).start()
    AlertWatch(rt).start()  # here too: an alert that no worker runs must not wait for a worker
    # waitress drops X-Forwarded-* headers unless told otherwise; behind the proxies that
    # PUSTAKA_PROXY_COUNT trusts, ProxyFix (webapp.auth) reads them, so they must reach the app.
    trusting = rt.settings.proxy_count > 0
    # Each body is held to its route's limit before waitress reads it (webapp.server.body_gate).
    body_gate.serve(
        app,
        sock,
        bodies.gate_limit(app),
        sharing_server(shedding_server(TcpWSGIServer), *share),
        threads=threads,
        connection_limit=rt.settings.web_connections,
        channel_timeout=rt.settings.web_idle_seconds,
        cleanup_interval=min(30, max(2, rt.settings.web_idle_seconds // 2)),
        asyncore_use_poll=True,  # select() cannot watch more than 1,024 sockets
        ident="Pustaka",
        clear_untrusted_proxy_headers=not trusting,
        max_request_body_size=bodies.file_limit(app) + 1,
    )


GIVE_BACK_SECONDS = 5.0  # how often a web process hands back freed memory (malloc_trim)
INDEX_PAGES_SECONDS = 1.0  # how often the search index's pages leave its resident set
WARM_UP_AFTER = 1.0  # seconds: the first requests of a new web process have the CPU to themselves


def _warm_up(rt: Runtime, app: Flask, compile_templates: Callable[[Flask], int]) -> None:
    """Start the reader's render workers and mark, compile the other templates, then freeze what is held.

    Done before serving, they kept a web process from its first answer (the templates ~0.5 s, the
    render workers' imports competing for the two cores); a page or reader asked for meanwhile
    starts or compiles what it needs.
    """
    time.sleep(WARM_UP_AFTER)
    try:
        rt.page_pictures.warm()
    except Exception:  # noqa: BLE001 - the first reader starts them instead; serving goes on
        log.exception("The reader's render workers did not start at warm-up")
    compile_templates(app)
    # What the process holds now lives as long as it does: out of the cycle collector's way.
    # A full collection walked ~300,000 such objects, 180 ms with the GIL held: every thread
    # stopped, the slowest search pages' time (p99) came from those pauses. Garbage first: what
    # is frozen is never collected.
    gc.collect()
    gc.freeze()

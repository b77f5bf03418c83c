"""Running Pustaka: the web server (web processes and the job process), and workers for Redis."""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from ipaddress import ip_address
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask
from sqlalchemy import func, select
from waitress.server import TcpWSGIServer

from library import migrate
from library.catalogue.indexing import refresh_index
from library.filestore import require_private_folders
from library.models import Office
from search import whoosh_memory
from webapp.alerting import AlertWatch
from webapp.batch_child import ChildFailed, run_in_child
from webapp.cli.context import clear_errors, pass_runtime
from webapp.cli.database import sync_offices
from webapp.cli.demo_start import demo_administrator, load_demo, load_demo_in_child
from webapp.connection_shares import ConnectionShares, sharing_server
from webapp.consumer import start_embedded
from webapp.hot_folder_watcher import start_watcher
from webapp.idle_connections import shedding_server
from webapp.jobs import Lane
from webapp.logs import configure_logging
from webapp.metrics import count_across_processes
from webapp.runtime import Runtime
from webapp.supervisor import Child, MemoryGiver, Supervisor, few_arenas, listen

log = logging.getLogger(__name__)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--processes",
    default=0,
    show_default=True,
    type=click.IntRange(0, 64),
    help="Web processes sharing the port; 0: one per CPU core.",
)
@click.option(
    "--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Threads per web process."
)
@click.option("--no-demo", is_flag=True, help="Do not load the demo catalogue on first start.")
@click.option(
    "--web-only",
    is_flag=True,
    help="Serve pages only, as one of several hosts: no job process and no demo load "
    "(needs PUSTAKA_REDIS_URL; `pustaka worker` runs the jobs).",
)
@pass_runtime
def serve(
    rt: Runtime, host: str, port: int, processes: int, threads: int, no_demo: bool, web_only: bool
) -> None:
    """Migrate the database, load the demo on first start, and serve the site with waitress."""
    configure_logging(rt.settings)  # the web and job processes, forked from this one, inherit it
    if web_only and not rt.settings.redis_url:
        raise click.ClickException(
            "--web-only needs PUSTAKA_REDIS_URL: without it, jobs would wait in this host's own "
            "queue, which no worker reads."
        )
    with clear_errors():
        require_private_folders(rt.settings.secrets_path, rt.settings.files_path)
    marker = rt.settings.instance_path / "demo-loaded"
    warning = base_url_warning(rt.settings.base_url, host, port)
    if warning:
        click.secho(warning, err=True, fg="yellow")
    try:  # first: a port taken is said at once; a visitor arriving during the demo load waits, not refused
        sock = listen(host, port)
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
    with clear_errors(), migrate.exclusive(rt.engine):  # a worker starting too waits, then finds it done
        migrate.upgrade_holding_lock(rt.engine)
        with rt.uow() as uow:
            has_offices = (uow.session.scalar(select(func.count(Office.id))) or 0) > 0
        loading_demo = not (no_demo or web_only) and not marker.exists()
        if loading_demo or not has_offices:
            sync_offices(rt)
        first_admin = demo_administrator(rt) if loading_demo else None
        with rt.uow() as uow:
            indexed = refresh_index(uow, rt.index(), rt.today())  # an upgrade that moved or changed search
        if indexed:
            click.echo(
                f"The search index was empty or made by an older release: {indexed} publications indexed."
            )
    if loading_demo:
        # The born-digital demo publications take seconds: searchable before "running". They are
        # loaded in a child process, so the memory it takes does not stay in the server's.
        click.echo("Loading the demo catalogue's born-digital publications ...")
        try:
            run_in_child(load_demo_in_child, rt.settings, rt.queue_name, False, niceness=0)
        except ChildFailed:
            raise click.ClickException("The demo catalogue could not be loaded (see above).") from None
    rt.close()  # the children open their own connections
    count_across_processes(rt.settings, fresh=True)  # before the children: they count in the same folder
    app = _web_app(rt, threads)
    count = processes or os.cpu_count() or 1
    shares = ConnectionShares(count)  # before the fork: the web processes take turns at the socket
    children = [
        Child(f"web {n}", partial(_web, rt, app, sock, threads, (shares, n - 1))) for n in range(1, count + 1)
    ]
    if not rt.settings.redis_url:
        # The SQLite queue is consumed here; with Redis, `pustaka worker` processes do it.
        demo = marker if loading_demo else None
        children.append(Child("jobs", partial(_job_process, rt, tuple(Lane), demo)))
    click.echo(f"Pustaka is running at http://{host}:{port}/ with {count} web process(es) (Ctrl+C stops it)")
    if first_admin is not None:
        click.echo(first_admin)
    if loading_demo:
        click.echo("The scanned demo publications are OCR'd in the background; each appears when ready.")
    Supervisor(children).run()
    sock.close()


LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
WILDCARDS = {"0.0.0.0", "::", ""}  # every address of the machine


def _local(host: str) -> bool:
    """Tell whether a host name or address means this machine only (a loopback address)."""
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def base_url_warning(base_url: str, host: str, port: int) -> str | None:
    """Say what to set when emails and QR codes would point where the site is not served, else None.

    A public name (the address behind a proxy, say) cannot be checked from here: only a local one is.
    """
    parts = urlsplit(base_url)
    try:
        base_port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port out of range: certainly not this one
        base_port = 0
    if not _local(parts.hostname or ""):
        return None
    if base_port == port and _local(host):
        return None
    if _local(host):
        suggested = f"http://127.0.0.1:{port}"
    elif host in WILDCARDS:
        suggested = f"http://<this machine's address>:{port}"
    else:
        suggested = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    return (
        f"Warning: PUSTAKA_BASE_URL is {base_url}, but the site is served on {host} port {port}: "
        "links in emails and the QR codes on copies would point where it cannot be reached. "
        f"Set PUSTAKA_BASE_URL={suggested} (or the public address visitors use, behind a proxy)."
    )


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


def _web_app(rt: Runtime, threads: int) -> Flask:
    """Return the web app, built once before the web processes fork, ready for their first pages.

    Each web process starts with it (forked: nothing to import or build), with the first pages'
    templates compiled and the search modules, the stemmers and the database models' mappers
    ready: done in each process, they took ~0.7 s of its first answer's time (both processes
    doing them at once on the same cores); now a process answers ~0.2 s after it starts.
    """
    from sqlalchemy.orm import configure_mappers

    import search.answers
    import search.whoosh_engine  # noqa: F401 - imported here, not by each process's first search
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


def _web(
    rt: Runtime, app: Flask, sock: socket.socket, threads: int, share: tuple[ConnectionShares, int]
) -> None:
    """Run one web process on the shared socket (in a child), with the app built before the fork,
    taking its share of the connections (`webapp.connection_shares`)."""
    from webapp import bodies, body_gate, compile_templates

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
    # Each body is held to its route's limit before waitress reads it (webapp.body_gate).
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


def _job_process(rt: Runtime, lanes: Iterable[Lane], demo_marker: Path | None) -> None:
    """Consume the lanes and watch the hot folder until SIGINT or SIGTERM (in a child)."""
    if demo_marker is not None and not demo_marker.exists():
        threading.Thread(
            target=load_demo, args=(rt.settings, rt.queue_name, demo_marker), name="demo-loader", daemon=True
        ).start()
    _consume_until_stopped(rt, tuple(lanes))


def _consume_until_stopped(
    rt: Runtime, lanes: tuple[Lane, ...], workers: dict[Lane, int] | None = None
) -> None:
    """Consume the lanes (and watch the hot folder with the batch lane) until SIGINT or SIGTERM."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    consuming = start_embedded(rt.jobs, lanes, workers)
    alerts = AlertWatch(rt)
    alerts.start()
    watcher = start_watcher(rt) if Lane.BATCH in lanes else None
    try:
        stop.wait()
    finally:
        if watcher:
            watcher.stop()
        alerts.stopping.set()
        consuming.stop(graceful=False)
        rt.close()


@click.command()
@click.option(
    "--lane",
    type=click.Choice(["all", *(lane.value for lane in Lane)]),
    default="all",
    show_default=True,
    help="Jobs this worker takes: interactive (copies people wait for), batch (ingest, OCR, index) or all.",
)
@click.option(
    "--interactive-workers", type=click.IntRange(1, 64), help="Interactive jobs at once (default: setting)."
)
@click.option("--batch-workers", type=click.IntRange(1, 64), help="Batch jobs at once (default: setting).")
@pass_runtime
def worker(rt: Runtime, lane: str, interactive_workers: int | None, batch_workers: int | None) -> None:
    """Run queued jobs of one lane or both (and watch the hot folder with batch), until stopped."""
    configure_logging(rt.settings)
    with clear_errors():
        require_private_folders(rt.settings.secrets_path, rt.settings.files_path)
        migrate.upgrade(rt.engine)
    lanes = tuple(Lane) if lane == "all" else (Lane(lane),)
    s = rt.settings
    count_across_processes(s)  # beside this host's `pustaka serve`, if any: one /metrics sums both
    counts = {
        Lane.INTERACTIVE: interactive_workers or s.interactive_workers,
        Lane.BATCH: batch_workers or s.batch_workers,
    }
    where = "Redis" if s.redis_url else "the SQLite queue in the instance folder"
    taken = ", ".join(f"{counts[one]} {one} job(s)" for one in lanes)
    click.echo(f"Pustaka worker: {taken} at a time from {where} (Ctrl+C stops it).")
    try:
        _consume_until_stopped(rt, lanes, counts)
    finally:
        click.echo("Stopping: jobs in progress resume on the next start.")

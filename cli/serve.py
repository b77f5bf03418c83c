"""`pustaka serve` and `pustaka worker`: the commands; the processes they run are `runtime.serving`'s."""

from __future__ import annotations

import os
import socket
from functools import partial
from ipaddress import ip_address
from urllib.parse import urlsplit

import click
from flask import Flask
from sqlalchemy import func, select

from cli.context import clear_errors, pass_runtime
from cli.database import sync_offices
from cli.demo_start import demo_administrator, load_demo, load_demo_in_child
from cli.start_checks import refuse_to_start
from library import migrate
from library.catalogue.indexing import refresh_index
from library.filestore.modes import require_private_folders
from library.models import Office
from runtime.batch_child import ChildFailed, run_in_child
from runtime.counted import count_across_processes
from runtime.instance_lock import hold_serve_lock
from runtime.lanes import Lane
from runtime.logs import configure_logging
from runtime.root import Runtime
from runtime.serving import consume_until_stopped, serve_processes
from runtime.supervisor import listen
from webapp.server.connection_shares import ConnectionShares
from webapp.server.web_process import serve_web, web_app


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
    refuse_to_start(rt.settings, "serve")
    with clear_errors():
        require_private_folders(rt.settings.secrets_path, rt.settings.files_path)
        held = hold_serve_lock(rt.settings, f"http://{host}:{port}/")  # before the metrics are emptied
    with held:  # the lock goes when this process ends or gives up (a port taken, say)
        _serve_holding_the_lock(rt, host, port, processes, threads, no_demo, web_only)


def _serve_holding_the_lock(
    rt: Runtime, host: str, port: int, processes: int, threads: int, no_demo: bool, web_only: bool
) -> None:
    """Open the port, prepare the instance and run the web and job processes until stopped."""
    marker = rt.settings.instance_path / "demo-loaded"
    warning = base_url_warning(rt.settings.base_url, host, port)
    if warning:
        click.secho(warning, err=True, fg="yellow")
    try:  # first: a port taken is said at once; a visitor arriving during the demo load waits, not refused
        sock = listen(host, port)
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
    loading_demo = not (no_demo or web_only) and not marker.exists()
    first_admin = _prepare(rt, loading_demo)
    rt.close()  # the children open their own connections
    count_across_processes(rt.settings, fresh=True)  # before the children: they count in the same folder
    app = web_app(rt, threads)
    count = processes or os.cpu_count() or 1
    shares = ConnectionShares(count)  # before the fork: the web processes take turns at the socket
    click.echo(f"Pustaka is running at http://{host}:{port}/ with {count} web process(es) (Ctrl+C stops it)")
    if first_admin is not None:
        click.echo(first_admin)
    if loading_demo:
        click.echo("The scanned demo publications are OCR'd in the background; each appears when ready.")
    web = partial(_serve_share, rt, app, sock, threads, shares)
    demo = partial(load_demo, rt.settings, rt.queue_name, marker) if loading_demo else None
    serve_processes(rt, web, count, first=demo)
    sock.close()


def _prepare(rt: Runtime, loading_demo: bool) -> str | None:
    """Migrate, load the offices and the demo's born-digital part; return how to sign in as its admin."""
    with clear_errors(), migrate.exclusive(rt.engine):  # a worker starting too waits, then finds it done
        migrate.upgrade_holding_lock(rt.engine)
        with rt.uow() as uow:
            has_offices = (uow.session.scalar(select(func.count(Office.id))) or 0) > 0
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
    return first_admin


def _serve_share(
    rt: Runtime, app: Flask, sock: socket.socket, threads: int, shares: ConnectionShares, slot: int
) -> None:
    """Run the web process of this slot (in a child), taking its share of the connections."""
    serve_web(rt, app, sock, threads, (shares, slot))


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
    refuse_to_start(rt.settings, "worker")
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
        consume_until_stopped(rt, lanes, counts)
    finally:
        click.echo("Stopping: jobs in progress resume on the next start.")

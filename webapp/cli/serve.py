"""Running Pustaka: the web server, and workers that consume the job queue."""

from __future__ import annotations

import logging
import signal
import threading
import time
from pathlib import Path

import click
from sqlalchemy import func, select

from library import migrate
from library.catalogue.demo import DemoNotLoaded
from library.models import Office
from webapp.cli.context import clear_errors, pass_runtime
from webapp.cli.database import load_demo_catalogue, sync_offices
from webapp.consumer import start_embedded
from webapp.hot_folder_watcher import start_watcher
from webapp.runtime import Runtime

log = logging.getLogger(__name__)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option("--no-demo", is_flag=True, help="Do not load the demo catalogue on first start.")
@pass_runtime
def serve(rt: Runtime, host: str, port: int, threads: int, no_demo: bool) -> None:
    """Migrate the database, load the demo on first start, and serve the site with waitress."""
    import waitress

    from webapp import create_app

    with clear_errors():
        migrate.upgrade(rt.engine)
        with rt.uow() as uow:
            has_offices = uow.session.scalar(select(func.count(Office.id))) > 0
        marker = rt.settings.instance_path / "demo-loaded"
        loading_demo = not no_demo and not marker.exists()
        if loading_demo or not has_offices:
            sync_offices(rt)
        app = create_app(rt)
    consumer = watcher = None
    if not rt.settings.redis_url:
        # The SQLite queue is consumed here; with Redis, `pustaka worker` processes do it.
        consumer = start_embedded(rt.jobs)
        watcher = start_watcher(rt)
    if loading_demo:
        # Scanned demo publications are OCR'd: take them in while the site already serves.
        threading.Thread(target=_load_demo, args=(rt, marker), name="demo-loader", daemon=True).start()
    rt.page_pictures.warm()  # the reader's render workers start now, not at the first reader
    click.echo(f"Pustaka is running at http://{host}:{port}/ (Ctrl+C stops it)")
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="Pustaka")
    finally:
        if watcher:
            watcher.stop()
        if consumer:
            consumer.stop(graceful=False)
        rt.page_pictures.close()


def _load_demo(rt: Runtime, marker: Path, attempts: int = 3) -> None:
    """Take the demo catalogue in, then mark it loaded (an interrupted load resumes next start)."""
    click.echo("Loading the demo catalogue in the background; publications appear as they are ready.")
    for attempt in range(1, attempts + 1):
        try:
            load_demo_catalogue(rt, show_progress=False)
        except DemoNotLoaded as exc:
            # A job left by a stopped server is held until its lease ends; then this load takes it.
            log.warning("Demo catalogue, attempt %s of %s: %s", attempt, attempts, exc)
            time.sleep(rt.settings.job_lease_seconds + 5)
            continue
        except Exception:  # noqa: BLE001 - the site keeps serving; the next start resumes the load
            log.exception("The demo catalogue could not be loaded completely; it resumes on the next start.")
            return
        marker.write_text("The demo catalogue was loaded; delete this file to load it again.\n")
        return


@click.command()
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Jobs run at once by this process (each OCRs several pages in parallel).",
)
@pass_runtime
def worker(rt: Runtime, workers: int) -> None:
    """Run queued jobs (ingest, indexing) and watch the hot folder, until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with clear_errors():
        migrate.upgrade(rt.engine)
    where = "Redis" if rt.settings.redis_url else "the SQLite queue in the instance folder"
    click.echo(f"Pustaka worker: {workers} job(s) at a time from {where} (Ctrl+C stops it).")
    watcher = start_watcher(rt)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    consumer = start_embedded(rt.jobs, workers)
    try:
        stop.wait()
    finally:
        click.echo("Stopping: jobs in progress resume on the next start.")
        if watcher:
            watcher.stop()
        consumer.stop(graceful=False)
        rt.close()

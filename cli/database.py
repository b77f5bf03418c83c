"""The database schema and the demo catalogue."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import partial

import click

import catalog_data
from cli.context import clear_errors, pass_runtime
from cli.db_status import db_status
from library import migrate
from library.catalogue.indexing import do_index_publications, refresh_index
from library.catalogue.offices import load_missing_offices
from library.catalogue.offices import sync_offices as do_sync_offices
from library.job_queue import NoQueue
from library.subjects.vocabulary import load_missing_subjects
from runtime.root import Runtime


@click.group()
def db() -> None:
    """Manage the database schema."""


db.add_command(db_status)


@db.command("upgrade")
@pass_runtime
def db_upgrade(rt: Runtime) -> None:
    """Bring the database schema up to date and load the offices it lacks."""
    with clear_errors():
        done = upgrade_database(rt)
    if done.before == done.after:
        click.echo(f"The database is up to date (revision {done.after}).")
    else:
        click.echo(f"Upgraded the database from {done.before or 'empty'} to revision {done.after}.")
    if done.offices:
        click.echo(f"Loaded {done.offices} offices and their service standards.")
    if done.indexed:
        click.echo(
            f"The search index was empty or made by an older release: {done.indexed} publications indexed."
        )


@db.command("downgrade")
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_runtime
def db_downgrade(rt: Runtime, revision: str, yes: bool) -> None:
    """Take the schema back to an older REVISION, to run an older release (what newer ones added is lost)."""
    with clear_errors():
        before = migrate.current_revision(rt.engine)
        if not yes:
            click.confirm(
                f"Take the database from schema {before} back to {revision}? What the later revisions added "
                "(tables, columns and their data) is dropped; back up first.",
                abort=True,
            )
        migrate.downgrade(rt.engine, revision)
    click.echo(f"Downgraded the database from {before} to revision {migrate.current_revision(rt.engine)}.")


@dataclass(frozen=True)
class SchemaUpgrade:
    """What an upgrade did: the revisions before and after, and how many offices it added."""

    before: str | None
    after: str | None
    offices: int
    indexed: int = 0  # publications put in a search index found empty (search moved, or restored)


def upgrade_database(rt: Runtime) -> SchemaUpgrade:
    """Migrate the schema, then add the offices and subjects (reference data) it lacks; say what was done.

    Every publication names its issuing office, so a database without them cannot take
    anything in: the offices come with the schema, not with the demo. Both are done under the
    migration lock, so two processes starting on a new database do not both insert them (and
    "before" is read once any other process is done).
    """
    with migrate.exclusive(rt.engine):
        before = migrate.current_revision(rt.engine)
        migrate.upgrade_holding_lock(rt.engine)
        with rt.transaction() as uow:
            added = load_missing_offices(uow, catalog_data.load_offices())
            load_missing_subjects(uow, catalog_data.load_subjects())
        with rt.uow() as uow:
            indexed = refresh_index(uow, rt.index(), rt.today())
        return SchemaUpgrade(before, migrate.current_revision(rt.engine), added, indexed)


@click.group()
def demo() -> None:
    """The demo catalogue."""


@demo.command("load")
@pass_runtime
def demo_load(rt: Runtime) -> None:
    """Load the offices and the demo publications (again: only what is missing)."""
    with clear_errors():
        migrate.upgrade(rt.engine)
        load_demo_catalogue(rt)


def sync_offices(rt: Runtime) -> None:
    """Load the offices' service standards from the package data."""
    with rt.transaction() as uow:
        do_sync_offices(uow, catalog_data.load_offices())


def load_demo_catalogue(
    rt: Runtime, show_progress: bool = True, scanned: bool | None = None, index_now: bool = False
) -> None:
    """Take the demo publications in through the ingest pipeline, with a progress bar if asked.

    `scanned` picks the scanned (OCR'd, slow) or born-digital records only; `index_now` indexes
    what was taken in here, in one batch, instead of queueing each publication for a worker.
    """
    from library.catalogue.demo import load_demo

    records = [r for r in catalog_data.load_demo_catalogue() if scanned is None or r.scanned == scanned]
    collected = CollectIndex()
    worker = rt.ingest_worker(queue=collected if index_now else None)
    load = partial(load_demo, worker, catalog_data.load_offices(), records, catalog_data.render_demo_pdf)
    if show_progress:
        with click.progressbar(
            length=len(records), label="Loading the demo catalogue", file=sys.stderr
        ) as bar:
            report = load(lambda done, total, title: bar.update(1))
    else:
        report = load()
    if collected.publication_ids:
        with rt.uow() as uow:
            do_index_publications(uow, rt.index(), collected.publication_ids, rt.today())
    lockers = add_demo_lockers(rt)
    series = add_demo_series(rt)
    click.echo(
        f"Demo catalogue: {report.offices} offices, {report.created} publications added, "
        f"{report.skipped} already there, {series} series made"
        + (f"; {lockers} lockers for the office." if lockers else ".")
    )


def add_demo_lockers(rt: Runtime) -> int:
    """Give the deployment's office the demo lockers (A-01..A-12) if it has none; return how many."""
    from library.frontoffice.lockers.admin import do_add_demo_lockers

    with rt.transaction() as uow:
        added = do_add_demo_lockers(uow, rt.settings.office)
    return added


def add_demo_series(rt: Runtime) -> int:
    """Make the series the demo titles suggest ("Dalam Angka", ...) with their editions; return how many."""
    from library.browse.series import do_make_demo_series

    with rt.transaction() as uow:
        return do_make_demo_series(uow, rt.now())


class CollectIndex(NoQueue):
    """A queue that keeps the publications to index, for the caller to index in one batch."""

    def __init__(self) -> None:
        self.publication_ids: list[int] = []

    def index(self, publication_id: int) -> None:
        """Keep the publication for the caller's batch."""
        self.publication_ids.append(publication_id)

"""The `pustaka` command: serve, migrate, load the demo, manage users, check the installation."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from library import migrate
from library.db import make_engine, make_session_factory
from library.errors import PustakaError
from library.filestore import FileStore
from library.models import Office
from library.people import users
from library.permissions import SYSTEM
from library.settings import Settings
from library.uow import UnitOfWork


@dataclass
class Context:
    """What every command needs: settings and, on demand, the database."""

    settings: Settings
    _engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        """Return the database engine, created on first use."""
        if self._engine is None:
            self._engine = make_engine(self.settings.sqlalchemy_url)
        return self._engine

    def uow(self) -> UnitOfWork:
        """Return a new unit of work."""
        return UnitOfWork(make_session_factory(self.engine))

    def close(self) -> None:
        """Close the database connections this command opened."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def store(self) -> FileStore:
        """Return the file store."""
        return FileStore(self.settings.files_path)


pass_context = click.make_pass_decorator(Context)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn domain and database errors into one clear line and exit code 1."""
    try:
        yield
    except PustakaError as exc:
        raise click.ClickException(str(exc)) from None
    except OperationalError as exc:
        raise click.ClickException(
            f"The database cannot be used: {exc.orig or exc}. "
            "Check PUSTAKA_DATABASE_URL or run 'pustaka check'."
        ) from None
    except SQLAlchemyError as exc:
        raise click.ClickException(f"Database error: {exc.__class__.__name__}: {exc}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(ctx: click.Context) -> None:
    """Pustaka: the PST service desk of a BPS office."""
    if ctx.obj is None:
        try:
            ctx.obj = Context(Settings.from_env())
        except PustakaError as exc:
            raise click.ClickException(str(exc)) from None
    ctx.call_on_close(ctx.obj.close)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option("--no-demo", is_flag=True, help="Do not load the demo catalogue on first start.")
@pass_context
def serve(obj: Context, host: str, port: int, threads: int, no_demo: bool) -> None:
    """Migrate the database, load the demo on first start, and serve the site with waitress."""
    import waitress

    from webapp import create_app

    with clear_errors():
        migrate.upgrade(obj.engine)
        with obj.uow() as uow:
            has_offices = uow.session.scalar(select(func.count(Office.id))) > 0
        marker = obj.settings.instance_path / "demo-loaded"
        if not no_demo and not marker.exists():
            _load_demo(obj)
            marker.write_text("The demo catalogue was loaded; delete this file to load it again.\n")
        elif not has_offices:
            _sync_offices(obj)
        app = create_app(obj.settings)
    consumer = watcher = None
    if not obj.settings.redis_url:
        # The SQLite queue is consumed here; with Redis, `pustaka worker` processes do it.
        from webapp.jobs import start_embedded
        from webapp.worker import start_watcher

        jobs = app.extensions["pustaka"].jobs
        consumer = start_embedded(jobs)
        watcher = start_watcher(jobs)
    click.echo(f"Pustaka is running at http://{host}:{port}/ (Ctrl+C stops it)")
    try:
        waitress.serve(app, host=host, port=port, threads=threads, ident="Pustaka")
    finally:
        if watcher:
            watcher.stop()
        if consumer:
            consumer.stop(graceful=False)


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@pass_context
def db_upgrade(obj: Context) -> None:
    """Bring the database schema up to date."""
    with clear_errors():
        before = migrate.current_revision(obj.engine)
        migrate.upgrade(obj.engine)
        after = migrate.current_revision(obj.engine)
    if before == after:
        click.echo(f"The database is up to date (revision {after}).")
    else:
        click.echo(f"Upgraded the database from {before or 'empty'} to revision {after}.")


@click.group()
def demo() -> None:
    """The demo catalogue."""


@demo.command("load")
@pass_context
def demo_load(obj: Context) -> None:
    """Load the offices and the demo publications (again: only what is missing)."""
    with clear_errors():
        migrate.upgrade(obj.engine)
        _load_demo(obj)


def _sync_offices(obj: Context) -> None:
    """Load the offices' service standards from the package data."""
    import catalog_data
    from library.catalogue.offices import sync_offices

    with obj.uow() as uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()


def _load_demo(obj: Context) -> None:
    """Render and store the demo publications with a progress bar."""
    import catalog_data
    from library.catalogue.demo import load_demo
    from webapp.jobs import Jobs

    records = catalog_data.load_demo_catalogue()
    with click.progressbar(length=len(records), label="Loading the demo catalogue", file=sys.stderr) as bar:

        def progress(done: int, total: int, title: str) -> None:
            bar.update(1)

        with obj.uow() as uow:
            report = load_demo(
                uow,
                obj.store(),
                catalog_data.load_offices(),
                records,
                catalog_data.render_demo_pdf,
                progress,
                queue=Jobs(obj.settings),
            )
    click.echo(
        f"Demo catalogue: {report.offices} offices, {report.created} publications added, "
        f"{report.skipped} already there."
    )


@click.group("users")
def users_group() -> None:
    """People and their roles."""


@users_group.command("create")
@click.option("--email", required=True, help="Email address (the login name).")
@click.option("--name", required=True, help="Full name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    default=("reader",),
    show_default=True,
    help="Role to give; repeat for several: reader, front_office, librarian, consultant, admin.",
)
@click.option(
    "--password",
    prompt=True,
    prompt_required=False,
    hide_input=True,
    confirmation_prompt=True,
    default=None,
    help="Ask for a password (typed, not shown).",
)
@pass_context
def users_create(obj: Context, email: str, name: str, roles: tuple[str, ...], password: str | None) -> None:
    """Create an account (staff created here have a verified email)."""
    with clear_errors():
        parsed = users.parse_roles(roles)
        with obj.uow() as uow:
            created = users.check_create_user(
                uow,
                SYSTEM,
                email=email,
                name=name,
                roles=parsed,
                password=password,
                email_verified=True,
            )
            uow.commit()
    click.echo(
        f"Created {created.name} <{created.email}> with roles "
        f"{', '.join(sorted(r.value for r in created.roles))}."
    )


def verify_base_url(settings: Settings) -> str:
    """Return the public address of the verification page the QR codes point at."""
    return settings.base_url.rstrip("/") + "/verifikasi"


@click.command()
@click.option("--publication", "publication_id", required=True, type=int, help="Publication number.")
@click.option("--name", required=True, help="Name of the person receiving the copy.")
@click.option("--email", default="", help="Their email address (shown masked on the stamp).")
@click.option("--request", "request_number", default="", help="Request number, if there is one.")
@click.option(
    "--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path)
)
@pass_context
def deliver(
    obj: Context, publication_id: int, name: str, email: str, request_number: str, out_path: Path
) -> None:
    """Stamp a copy of a publication for one person, record it in the ledger, write it to OUT."""
    from library.ledger.deliveries import Recipient, deliver_copy
    from library.models import DeliveryChannel
    from library.tokens import delivery_key

    store = obj.store()
    with clear_errors(), obj.uow() as uow:
        record = deliver_copy(
            uow,
            store,
            SYSTEM,
            publication_id=publication_id,
            recipient=Recipient(name=name, email=email),
            channel=DeliveryChannel.STAFF,
            secret=delivery_key(obj.settings.instance_path),
            verify_base_url=verify_base_url(obj.settings),
            request_number=request_number,
            client_address="cli",
        )
        uow.commit()
    shutil.copyfile(store.path_for(record.output_sha256), out_path)
    click.echo(
        f"Delivered '{record.publication_title}' to {record.recipient_name}: {out_path} "
        f"({record.pages} pages, delivery id {record.delivery_id})."
    )


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@pass_context
def trace(obj: Context, file: Path, as_json: bool) -> None:
    """Find the marks in a PDF or image and name the delivery they point to."""
    from library.ledger.tracing import trace_file
    from library.tokens import delivery_key

    with clear_errors(), obj.uow() as uow:
        report = trace_file(uow, file, delivery_key(obj.settings.instance_path))
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report), default=str, indent=2))
    else:
        _print_trace(report)
    if not report.found:
        sys.exit(1)


def _print_trace(report) -> None:  # type: ignore[no-untyped-def]
    """Print a trace report for a person."""
    if report.exact_copy:
        r = report.exact_copy
        click.echo(f"This file is exactly delivery {r.delivery_id}, unchanged since it was delivered.")
    for item in report.deliveries:
        if item.record is None:
            click.echo(
                f"Mark {item.delivery_id} found ({', '.join(item.evidence)}), "
                "but the ledger has no such delivery."
            )
            continue
        r = item.record
        pages = f" on pages {', '.join(map(str, item.pages))}" if item.pages else ""
        click.echo(
            f"Delivery {r.delivery_id}: '{r.publication_title}' to {r.recipient_name}"
            f"{' <' + r.recipient_email + '>' if r.recipient_email else ''}"
            f"{', request ' + r.request_number if r.request_number else ''}, "
            f"{r.delivered_at:%Y-%m-%d %H:%M} UTC via {r.channel}"
            f"{' from ' + r.client_address if r.client_address else ''}."
        )
        click.echo(
            f"  evidence: {', '.join(item.evidence)}{pages}"
            + (
                "; QR signature valid"
                if item.signature_valid
                else "; QR signature INVALID"
                if item.signature_valid is False
                else ""
            )
        )
    if not report.found:
        click.echo("No mark of a known delivery was found in this file.")
    for note in report.notes:
        click.echo(f"  note: {note}")


@click.command()
@pass_context
def check(obj: Context) -> None:
    """Report what is installed and what is missing, and what to do about it."""
    from webapp.system_check import run_checks

    failed = False
    for item in run_checks(obj.settings, obj.engine):
        mark = "ok " if item.ok else ("MISSING" if item.required else "note")
        click.echo(f"[{mark}] {item.name}: {item.detail}")
        if not item.ok:
            click.echo(f"        -> {item.hint}")
            failed = failed or item.required
    if failed:
        click.echo("Some things Pustaka needs are missing; see the lines marked MISSING.")
        sys.exit(1)
    click.echo("Everything Pustaka needs is in place.")


main.add_command(serve)
main.add_command(db)
main.add_command(demo)
main.add_command(users_group)
main.add_command(check)
main.add_command(deliver)
main.add_command(trace)

from webapp import cli_ingest  # noqa: E402 - its commands use Context, defined above

cli_ingest.register(main)

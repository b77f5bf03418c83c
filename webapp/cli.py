"""The `pustaka` command: serve, migrate, load the demo, manage users, check the installation."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import click
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from library import migrate, users
from library.db import make_engine, make_session_factory
from library.errors import PustakaError
from library.filestore import FileStore
from library.models import Office
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
    click.echo(f"Pustaka is running at http://{host}:{port}/ (Ctrl+C stops it)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="Pustaka")


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
    from library.offices import sync_offices

    with obj.uow() as uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()


def _load_demo(obj: Context) -> None:
    """Render and store the demo publications with a progress bar."""
    import catalog_data
    from library.demo import load_demo

    records = catalog_data.load_demo_catalogue()
    with click.progressbar(length=len(records), label="Loading the demo catalogue", file=sys.stderr) as bar:

        def progress(done: int, total: int, title: str) -> None:
            bar.update(1)

        with obj.uow() as uow:
            report = load_demo(
                uow, obj.store(), catalog_data.load_offices(), records,
                catalog_data.render_demo_pdf, progress,
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
    "--role", "roles", multiple=True, default=("reader",), show_default=True,
    help="Role to give; repeat for several: reader, front_office, librarian, consultant, admin.",
)
@click.option(
    "--password", prompt=True, prompt_required=False, hide_input=True,
    confirmation_prompt=True, default=None, help="Ask for a password (typed, not shown).",
)
@pass_context
def users_create(obj: Context, email: str, name: str, roles: tuple[str, ...], password: str | None) -> None:
    """Create an account (staff created here have a verified email)."""
    with clear_errors():
        parsed = users.parse_roles(roles)
        with obj.uow() as uow:
            created = users.check_create_user(
                uow, None, email=email, name=name, roles=parsed, password=password,
                email_verified=True,
            )
            uow.commit()
    click.echo(
        f"Created {created.name} <{created.email}> with roles "
        f"{', '.join(sorted(r.value for r in created.roles))}."
    )


@click.command()
@pass_context
def check(obj: Context) -> None:
    """Report what is installed and what is missing, and what to do about it."""
    from library.system_check import run_checks

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

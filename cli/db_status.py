"""`pustaka db status`: what an upgrade will do to this database, before anyone stops the site.

Exit codes, for scripts: 0 the database is up to date (nothing for `db upgrade` to do), 1 an
upgrade is pending (migrations to run, or a search index to rebuild), 2 the database is newer
than this code (a newer release migrated it: the code was taken back), 3 the database could not
be read.
"""

from __future__ import annotations

from importlib.metadata import version

import click
from sqlalchemy.exc import SQLAlchemyError

from cli.context import pass_runtime
from library import migrate
from library.errors import PustakaError
from library.operations.upgrade_plan import IndexRebuild, Step, index_rebuild, steps
from runtime.root import Runtime

UP_TO_DATE, PENDING, NEWER, UNREADABLE = 0, 1, 2, 3
LONG = "may take long on large data"


class Unreadable(click.ClickException):
    """The database (or its search index) could not be read: exit code 3."""

    exit_code = UNREADABLE


@click.command("status")
@pass_runtime
def db_status(rt: Runtime) -> None:
    """Say which migrations an upgrade will run (and which may take long); exit 1 when one is pending."""
    head = migrate.head_revision()
    try:
        current = migrate.current_revision(rt.engine)
    except SQLAlchemyError as exc:
        raise Unreadable(f"The database cannot be read: {_first_line(exc)}. Run `pustaka check`.") from None
    click.echo(f"Database schema: {current or 'empty (no tables)'}")
    click.echo(f"This release:    pustaka {version('pustaka')}, schema {head}")
    if current is not None and current not in migrate.known_revisions():
        click.echo(
            f"The database is newer than this code: schema {current} was made by a newer release, which "
            f"this one cannot run on. Install that release again, or with it run `pustaka db downgrade "
            f"{head}` (back up first)."
        )
        raise click.exceptions.Exit(NEWER)
    pending = steps(current, rt.engine.dialect.name)
    rebuild = _index_rebuild(rt)
    if not pending and rebuild is None:
        click.echo("The database is up to date: `pustaka db upgrade` has nothing to do.")
        return
    _show_steps(pending)
    _show_rebuild(rebuild)
    click.echo("Back up first, then run `pustaka db upgrade` (docs/operations.md, Upgrading).")
    raise click.exceptions.Exit(PENDING)


def _index_rebuild(rt: Runtime) -> IndexRebuild | None:
    """Return the rebuild of the search index the upgrade will run, or None."""
    try:
        return index_rebuild(rt.engine, rt.search)
    except (SQLAlchemyError, PustakaError, OSError) as exc:
        raise Unreadable(f"The search index cannot be read: {_first_line(exc)}.") from None


def _show_steps(pending: list[Step]) -> None:
    """Print the migrations an upgrade runs, in order, with what makes one long."""
    if not pending:
        click.echo("No migration to run.")
        return
    click.echo(f"An upgrade runs {len(pending)} migration(s), in this order:")
    for step in pending:
        click.echo(f"  {step.revision}  {step.description}")
        if step.rewrites:
            click.echo(f"        rewrites data ({LONG}): {step.rewrites}")
    long_ones = [step.revision for step in pending if step.rewrites]
    if long_ones:
        click.echo(f"Rewriting data: {', '.join(long_ones)}; the others only add tables, columns or checks.")


def _show_rebuild(rebuild: IndexRebuild | None) -> None:
    """Print the search index rebuild the upgrade runs before the site starts, if any."""
    if rebuild is None:
        click.echo("The search index is kept as it is.")
        return
    click.echo(
        f"Then it rebuilds the search index before the site starts ({rebuild.reason}): "
        f"{rebuild.publications:,} publications, {rebuild.pages:,} pages of text ({LONG})."
    )


def _first_line(exc: BaseException) -> str:
    """Return the first line of an error's message (drivers add the statement on more lines)."""
    orig = getattr(exc, "orig", None)
    return (str(orig or exc).splitlines() or [""])[0]

"""`pustaka usage`: publications' usage as COUNTER counts it: the robots list, counting, a log taken in."""

from __future__ import annotations

from pathlib import Path

import click

from cli.context import clear_errors, pass_runtime
from library.usage.access_log import LogLine, do_import_events, publications_of_copies, read_log
from library.usage.figures import Clock, raw_kept_from
from library.usage.recording import session_key
from library.usage.robots import do_replace_robots
from runtime.root import Runtime
from runtime.usage_upkeep import keep_usage


@click.group("usage")
def usage_group() -> None:
    """Usage of publications (COUNTER): the robots list, counting, an access log taken in."""


@usage_group.command("robots")
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A COUNTER-Robots list (COUNTER_Robots_list.json) to use from now on.",
)
@pass_runtime
def robots(rt: Runtime, source: Path) -> None:
    """Use a newer COUNTER-Robots list (checked first; kept in the instance folder)."""
    with clear_errors():
        patterns = do_replace_robots(rt.settings.instance_path, source)
    click.echo(f"The robots list now holds {patterns} patterns; processes started from now on use it.")


@usage_group.command("count")
@pass_runtime
def count(rt: Runtime) -> None:
    """Count every whole office day not counted yet, and prune raw events past the retention."""
    months = rt.settings.usage_keep_events_months
    with clear_errors():
        done = keep_usage(rt, months)
    click.echo(
        f"Counted {done.counted} publication-days; "
        f"pruned {done.pruned} raw events older than {months} months."
    )


@usage_group.command("import-log")
@click.argument("log_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only say what the log holds.")
@pass_runtime
def import_log(rt: Runtime, log_file: Path, dry_run: bool) -> None:
    """Take in a web server's access log (combined format): views, pages shown and downloads in it."""
    clock = Clock(rt.timezone())
    since = clock.midnight(raw_kept_from(rt.today(), rt.settings.usage_keep_events_months))
    secret = rt.secret_key

    def session_of(line: LogLine) -> str:
        return session_key(secret, clock.day_of(line.at), None, line.address, line.agent)

    with clear_errors(), rt.transaction() as uow, log_file.open(encoding="utf-8", errors="replace") as lines:
        found = read_log(lines, rt.robots, session_of, publications_of_copies(uow), since)
        first = min((clock.day_of(e.at) for e in found.events), default=None)
        kept = len(found.events) if dry_run else do_import_events(uow, found.events, first)
    verb = "Would take in" if dry_run else "Took in"
    click.echo(
        f"{verb} {kept} usage events; left out {found.robots} by robots, {found.not_usage} of no "
        f"publication or not successful, {found.too_old} older than the raw events kept, "
        f"{found.unreadable} unreadable lines."
    )

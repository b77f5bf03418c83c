"""The `pustaka` command: one group, its commands in one module per area, one runtime per run."""

from __future__ import annotations

import click

from library.errors import PustakaError
from library.settings import Settings
from webapp.cli import check, database, ingest, ledger, people, search, serve
from webapp.runtime import Runtime


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(ctx: click.Context) -> None:
    """Pustaka: the PST service desk of a BPS office."""
    if ctx.obj is None:
        try:
            ctx.obj = Runtime(Settings.from_env())
        except PustakaError as exc:
            raise click.ClickException(str(exc)) from None
    ctx.call_on_close(ctx.obj.close)


for command in (
    serve.serve,
    serve.worker,
    database.db,
    database.demo,
    people.users_group,
    check.check,
    ledger.deliver,
    ledger.trace,
    ingest.ingest,
    search.reindex,
    search.check_index_command,
    search.search_command,
):
    main.add_command(command)

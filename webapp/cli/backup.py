"""`pustaka backup` and `pustaka restore`: the database, the file store and the keys, with checksums."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import click
from sqlalchemy.engine import make_url

from library import migrate
from library.catalogue.indexing import do_reindex
from library.knowledge import do_reindex_answers
from library.moving import count_rows, moved_tables
from library.moving.backups import Instance, check_backup, make_backup, restore_backup
from library.settings import Settings
from runtime.root import Runtime
from webapp.cli.context import clear_errors, pass_runtime


def _instance(settings: Settings) -> Instance:
    """Return where the instance keeps its database, files and keys."""
    url = make_url(settings.sqlalchemy_url)
    sqlite_path = Path(url.database or "") if url.get_backend_name() == "sqlite" else Path()
    return Instance(
        database_url=settings.database_url,
        sqlite_path=sqlite_path,
        files=settings.files_path,
        secrets=settings.secrets_path,
    )


def _say(step: str) -> None:
    click.echo(f"  {step} ...")


@click.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@pass_runtime
def backup(rt: Runtime, dest: Path) -> None:
    """Back up the database, the file store and the keys into a new folder, with checksums."""
    with clear_errors():
        schema = migrate.current_revision(rt.engine) or "none"
        _ = rt.secret_key  # made now if nothing ever signed with it: there is nothing it must verify
        _ = rt.delivery_key  # likewise made if no copy was ever stamped; a lost one is an error
        count = make_backup(
            _instance(rt.settings), dest, release=version("pustaka"), schema=schema, progress=_say
        )
    click.echo(f"Backed up into {dest}: {count} files, each with its sha256 in {dest / 'manifest.json'}.")
    click.echo("Keep it off this machine, and try a restore on another machine now and then.")


@click.command()
@click.argument("src", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace an instance that already holds data (else refused).")
@pass_runtime
def restore(rt: Runtime, src: Path, replace: bool) -> None:
    """Restore a backup, checked file by file, into an empty instance."""
    settings = rt.settings
    instance = _instance(settings)
    with clear_errors():
        manifest = check_backup(src, _say)
        checked = len(manifest["files"]) if isinstance(manifest["files"], dict) else 0
        if not replace and _holds_data(rt, instance):
            raise click.ClickException(
                "This instance already holds data: restoring would replace it. Restore into an empty "
                "instance, or add --replace once you have a backup of it."
            )
        rt.close()  # no connection open on the database being replaced
        restore_backup(src, instance, manifest, progress=_say)
        fresh = Runtime(settings)
        try:
            migrate.upgrade(fresh.engine)  # a backup made by an older release
            _say("search index")
            with fresh.uow() as uow:
                publications = do_reindex(uow, fresh.index(), fresh.today(), None)
                do_reindex_answers(uow, fresh.answers(writing=True))
        finally:
            fresh.close()
    click.echo(
        f"Restored the backup of {manifest['made_at']} (release {manifest['release']}, schema "
        f"{manifest['schema']}): {checked} files checked, {publications} publications indexed."
    )


def _holds_data(rt: Runtime, instance: Instance) -> bool:
    """Tell whether the instance already has rows (SQLite: a database file at all)."""
    if instance.kind == "sqlite":
        return instance.sqlite_path.exists()
    counts = count_rows(rt.engine, moved_tables(rt.engine))
    return any(counts.values())

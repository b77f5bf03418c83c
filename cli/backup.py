"""`pustaka backup` and `pustaka restore`: the database, the file store and the keys, with checksums."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cli.context import clear_errors, pass_runtime
from library import migrate
from library.catalogue.indexing import do_reindex
from library.knowledge.indexing import do_reindex_answers
from library.moving.backups import BackupRefused, Instance, check_backup, restore_backup
from library.moving.copying import count_rows, moved_tables
from library.moving.nightly import apply_policy, run_backup
from library.moving.retention import find_backups
from library.moving.runs import record_verified, settle_restored
from library.moving.sealing import make_key_file
from runtime.backup_plan import instance_of, plan_of, sealing_of
from runtime.root import Runtime

UNAUTHENTICATED = click.option(
    "--unauthenticated",
    is_flag=True,
    help="Take a backup whose manifest is not signed with the office's backup key (else refused).",
)


def _say(step: str) -> None:
    click.echo(f"  {step} ...")


@click.command()
@click.argument("dest", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--prune", "prune_only", is_flag=True, help="Only apply the retention policy (PUSTAKA_BACKUP_KEEP)."
)
@click.option("--verify", is_flag=True, help="Check a backup (DEST, else the newest) without restoring it.")
@click.option(
    "--make-key", type=click.Path(dir_okay=False, path_type=Path), help="Write a new backup key there."
)
@UNAUTHENTICATED
@pass_runtime
def backup(
    rt: Runtime,
    dest: Path | None,
    prune_only: bool,
    verify: bool,
    make_key: Path | None,
    unauthenticated: bool,
) -> None:
    """Back up the database, the file store and the keys (into DEST, else a new dated backup folder)."""
    with clear_errors():
        if make_key is not None:
            _make_key(make_key)
        elif prune_only:
            _prune(rt)
        elif verify:
            _verify(rt, dest, unauthenticated)
        else:
            _back_up(rt, dest)


def _back_up(rt: Runtime, dest: Path | None) -> None:
    """Make one backup, copy it off the machine and prune, as the timer does."""
    _ = rt.secret_key  # made now if nothing ever signed with it: there is nothing it must verify
    _ = rt.delivery_key  # likewise made if no copy was ever stamped; a lost one is an error
    made = run_backup(rt, plan_of(rt.settings), dest, _say)
    click.echo(
        f"Backed up into {made.path}: {made.files} files, {made.size} bytes ({made.written} written anew, "
        f"{made.linked} files shared with the previous backup), each with its sha256 in "
        f"{made.path / 'manifest.json'}."
    )
    if not rt.settings.backup_copy_command:
        click.echo(
            "Keep a copy off this machine (PUSTAKA_BACKUP_COPY_COMMAND), and try a restore now and then."
        )


def _make_key(path: Path) -> None:
    """Write a fresh backup key, readable by its owner only."""
    try:
        make_key_file(path)
    except FileExistsError:
        raise click.ClickException(f"{path} already exists: a key is never overwritten.") from None
    click.echo(
        f"Wrote a new backup key to {path} (mode 0600). Keep a copy outside this machine (a password "
        "manager, a sealed envelope): without it no encrypted backup can be read. Then set "
        f"PUSTAKA_BACKUP_KEY_FILE={path}."
    )


def _prune(rt: Runtime) -> None:
    """Apply the retention policy to the backup folder and say what it kept and removed."""
    decision = apply_policy(rt, plan_of(rt.settings))
    for path, rules in sorted(decision.kept.items()):
        click.echo(f"  kept {path.name} ({', '.join(rules)})")
    for path in decision.removed:
        click.echo(f"  removed {path.name}")
    click.echo(
        f"{len(decision.kept)} backups kept, {len(decision.removed)} removed ({rt.settings.backup_keep})."
    )


def _verify(rt: Runtime, path: Path | None, unauthenticated: bool) -> None:
    """Check every file of a backup against its manifest (and key) without restoring it; record the result."""
    if path is None:
        newest = [found for found in find_backups(rt.settings.backup_path) if found.finished]
        if not newest:
            raise click.ClickException(f"There is no finished backup in {rt.settings.backup_path}.")
        path = newest[0].path
    path = path.absolute()
    sealing = sealing_of(rt.settings)
    try:
        manifest = check_backup(path, _say, key=sealing.key, unauthenticated=unauthenticated)
    except BackupRefused:
        with rt.transaction() as uow:
            record_verified(uow, path, rt.now(), ok=False)
        raise
    with rt.transaction() as uow:
        record_verified(uow, path, rt.now(), ok=True)
    files = manifest["files"]
    signed = "signed with the office's backup key" if "hmac" in manifest else "not signed"
    click.echo(
        f"Verified {path}: {len(files) if isinstance(files, dict) else 0} files whole, manifest {signed}"
        f"{', encrypted' if manifest.get('encrypted') else ''} (made {manifest['made_at']})."
    )


@click.command()
@click.argument("src", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace an instance that already holds data (else refused).")
@UNAUTHENTICATED
@pass_runtime
def restore(rt: Runtime, src: Path, replace: bool, unauthenticated: bool) -> None:
    """Restore a backup, checked file by file, into an empty instance."""
    settings = rt.settings
    instance = instance_of(settings)
    with clear_errors():
        key = sealing_of(settings).key
        manifest = check_backup(src, _say, key=key, unauthenticated=unauthenticated)
        checked = len(manifest["files"]) if isinstance(manifest["files"], dict) else 0
        if not replace and _holds_data(rt, instance):
            raise click.ClickException(
                "This instance already holds data: restoring would replace it. Restore into an empty "
                "instance, or add --replace once you have a backup of it."
            )
        rt.close()  # no connection open on the database being replaced
        modes = restore_backup(src, instance, manifest, key=key, progress=_say)
        fresh = Runtime(settings)
        try:
            migrate.upgrade(fresh.engine)  # a backup made by an older release
            _say("search index")
            with fresh.uow() as uow:
                publications = do_reindex(uow, fresh.index(), fresh.today(), None)
                do_reindex_answers(uow, fresh.answers(writing=True))
            with fresh.transaction() as uow:
                settle_restored(uow, dt.datetime.fromisoformat(str(manifest["made_at"])), src)
        finally:
            fresh.close()
    for line in modes:
        click.echo(f"  file store: {line}")
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

"""`pustaka move`: take a single-machine instance onto PostgreSQL and a shared file store, nothing lost."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click
from sqlalchemy import Engine, Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from cli.context import clear_errors, pass_runtime
from library import migrate
from library.catalogue.indexing import do_reindex
from library.db import make_engine
from library.filestore import FileStore
from library.filestore.modes import require_private_folders, unsafe_folder
from library.knowledge.indexing import do_reindex_answers
from library.moving.copying import (
    FileSummary,
    MoveRefused,
    check_target,
    copy_files,
    copy_kept_beside,
    copy_rows,
    count_rows,
    moved_tables,
    summarise_files,
)
from library.settings import Settings
from library.tokens import key_files, place_secret
from runtime.root import Runtime


@click.command()
@click.option(
    "--to-database",
    required=True,
    metavar="URL",
    help="The target database (an empty one), e.g. postgresql+psycopg://pustaka@db/pustaka.",
)
@click.option(
    "--to-files",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The target file store's folder (the shared mount every host will set as PUSTAKA_FILES_DIR).",
)
@click.option(
    "--to-secrets",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also copy the signing keys to this folder (every host's PUSTAKA_SECRETS_DIR).",
)
@click.option(
    "--password-prompt",
    is_flag=True,
    help="Ask for the target database's password (else PGPASSWORD or ~/.pgpass give it, as to psql).",
)
@pass_runtime
def move(
    rt: Runtime, to_database: str, to_files: Path, to_secrets: Path | None, password_prompt: bool
) -> None:
    """Copy this instance's rows and files to another database and file store, and index them there.

    The target's password never goes on the command line (the process list and the shell's
    history would keep it): PostgreSQL's own PGPASSWORD or ~/.pgpass, or --password-prompt.
    """
    settings = rt.settings
    to_database, shown = _target_url(to_database, password_prompt)
    target_settings = dataclasses.replace(settings, database_url=to_database, files_dir=str(to_files))
    if make_url(to_database) == make_url(settings.sqlalchemy_url):
        raise click.ClickException("--to-database is this instance's own database: name another one.")
    source_store, target_store = rt.store, FileStore(target_settings.files_path)
    if target_store.root.resolve() == source_store.root.resolve():
        raise click.ClickException("--to-files is this instance's own file store: name another folder.")
    with clear_errors():
        _check_folders(settings, to_files, to_secrets)
        if to_secrets is not None:
            _ = rt.secret_key, rt.delivery_key  # made now if the instance never needed them yet
            _check_keys(settings.secrets_path, to_secrets)
        migrate.upgrade(rt.engine)
        if not settings.redis_url and (waiting := rt.jobs.pending_count()):
            raise MoveRefused(
                "%(n)s job(s) still wait in this instance's queue: run `pustaka worker` (or serve) until "
                "they are done, stop the site, then move.",
                n=waiting,
            )
        tables = moved_tables(rt.engine)
        before_rows = count_rows(rt.engine, tables)
        click.echo("Checking every file of the source store ...")
        before_files = summarise_files(source_store, verify=True)
        _show("Before (this instance)", before_rows, before_files)
        _copy_to_target(
            rt.engine, to_database, tables, (before_rows, before_files), source_store, target_store
        )
        if to_secrets is not None:
            _copy_keys(settings.secrets_path, to_secrets)
        publications, answers = _reindex(Runtime(target_settings))
    click.echo(f"The target's search index holds {publications} publications and {answers} answers.")
    _say_where(shown, password_prompt, target_store, to_secrets, settings.secrets_path)


def _copy_to_target(
    source: Engine,
    to_database: str,
    tables: list[Table],
    before: tuple[dict[str, int], FileSummary],
    source_store: FileStore,
    target_store: FileStore,
) -> None:
    """Copy the files and rows into the target (rows only when it holds none yet), then compare both."""
    before_rows, before_files = before
    target = make_engine(to_database)
    try:
        migrate.upgrade(target)
        copy_needed = check_target(before_rows, count_rows(target, tables))
        with _Progress("Copying files", before_files.count) as progress:
            copied = copy_files(source_store, target_store, progress)
        click.echo(f"Files: {copied.copied} copied, {copied.already_there} already there (checked).")
        kept = copy_kept_beside(source_store, target_store)
        click.echo(f"Kept beside them (the pages' measured ink, a cache): {kept} copied.")
        if copy_needed:
            with _Progress("Copying rows", sum(before_rows.values())) as progress:
                copy_rows(source, target, tables, progress)
        else:
            click.echo("Rows: every table already holds this instance's rows (an earlier run).")
        after_rows = count_rows(target, tables)
        click.echo("Checking every file of the target store ...")
        after_files = summarise_files(target_store, verify=True)
        _show("After (the target)", after_rows, after_files)
        _compare(before_rows, after_rows, before_files, after_files)
    finally:
        target.dispose()


def _say_where(
    shown: str, password_prompt: bool, target_store: FileStore, to_secrets: Path | None, secrets: Path
) -> None:
    """Say what every host must set to use the target."""
    click.echo("Moved. On every host set:")
    click.echo(f"  PUSTAKA_DATABASE_URL={shown}" + (" (with its password)" if password_prompt else ""))
    click.echo(f"  PUSTAKA_FILES_DIR={target_store.root}")
    if to_secrets is not None:
        click.echo(f"  PUSTAKA_SECRETS_DIR={to_secrets.expanduser().resolve()}")
    else:
        click.echo(f"  and give every host the keys in {secrets} (PUSTAKA_SECRETS_DIR).")


def _target_url(to_database: str, password_prompt: bool) -> tuple[str, str]:
    """Return the target's URL with its password (asked for if told to), and the URL to print."""
    try:
        target_url = make_url(to_database)
    except ArgumentError:
        raise click.ClickException("--to-database is not a database URL.") from None
    if target_url.password:
        raise click.ClickException(
            "--to-database holds a password: the process list and the shell's history would keep it. "
            "Give the URL without it, and the password in PGPASSWORD, in ~/.pgpass or with --password-prompt."
        )
    shown = target_url.render_as_string(hide_password=True)
    if password_prompt:
        target_url = target_url.set(password=click.prompt("Password of the target database", hide_input=True))
    return target_url.render_as_string(hide_password=False), shown


def _check_folders(settings: Settings, to_files: Path, to_secrets: Path | None) -> None:
    """Refuse a source or a target whose files or keys other users of the machine could change."""
    require_private_folders(settings.secrets_path, settings.files_path)
    for folder, secret in ((to_files, False), (to_secrets, True)):
        why = unsafe_folder(folder, secrets=secret) if folder is not None else None
        if why is not None:
            raise MoveRefused(
                "Other users of this machine could change the target's files: %(why)s.", why=why
            )


def _show(title: str, rows: dict[str, int], files: FileSummary) -> None:
    """Print the row count of every table and the store's files, count, bytes and checksum."""
    click.echo(f"{title}:")
    for name, count in rows.items():
        click.echo(f"  {name:<28} {count:>10} rows")
    click.echo(f"  {'rows in all':<28} {sum(rows.values()):>10}")
    click.echo(f"  files: {files.count}, {files.size} bytes, checksum {files.checksum}")


def _compare(before: dict[str, int], after: dict[str, int], files: FileSummary, moved: FileSummary) -> None:
    """Refuse to go on when the target's rows or files are not the source's."""
    differing = [name for name in before if after.get(name) != before[name]]
    if differing:
        raise MoveRefused("The target's row counts differ in %(t)s.", t=", ".join(differing))
    if moved != files:
        raise MoveRefused(
            "The target's file store is not the source's: %(a)s files (checksum %(b)s) against "
            "%(c)s (checksum %(d)s). Move into an empty folder.",
            a=moved.count,
            b=moved.checksum,
            c=files.count,
            d=files.checksum,
        )


class _Progress:
    """A progress bar on stderr fed by (what, how many so far) calls."""

    def __init__(self, label: str, total: int) -> None:
        self._bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
        self._seen: dict[str, int] = {}

    def __enter__(self) -> _Progress:
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(None, None, None)

    def resize(self, total: int) -> None:
        """Set the bar's length once the total is known."""
        self._bar.length = max(total, 1)

    def __call__(self, what: str, done: int) -> None:
        self._bar.update(done - self._seen.get(what, 0))
        self._seen[what] = done


def _reindex(rt: Runtime) -> tuple[int, int]:
    """Rebuild the search index of the target (the engine its settings choose); return its counts."""
    try:
        with rt.uow() as uow:
            with _Progress("Indexing", 1) as bar:

                def progress(done: int, total: int) -> None:
                    bar.resize(total)
                    bar("index", done)

                count = do_reindex(uow, rt.index(), rt.today(), progress)
            answers = do_reindex_answers(uow, rt.answers(writing=True))
        return count, answers
    finally:
        rt.close()


def _check_keys(source: Path, target: Path) -> None:
    """Refuse a keys folder that holds other keys than this instance's (they would sign differently)."""
    for name in key_files(source):
        mine, theirs = source / name, target / name
        if mine.is_file() and theirs.is_file() and mine.read_bytes().strip() != theirs.read_bytes().strip():
            raise click.ClickException(
                f"{theirs} holds another key than this instance's {mine}: "
                "sessions and the codes on copies already delivered would no longer be recognised. "
                "Name an empty folder."
            )


def _copy_keys(source: Path, target: Path) -> None:
    """Copy the signing keys (mode 0600), each written whole: to a temporary name, then linked."""
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name in key_files(source):  # the retired keys too: they verify copies delivered before a rotation
        mine, theirs = source / name, target / name
        if not mine.is_file() or theirs.is_file():
            continue
        place_secret(target, name, mine.read_bytes())

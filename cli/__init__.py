"""The `pustaka` command: one group, its commands in one module per area, one runtime per run.

The group loads a command's module only when that command runs (click's "lazy loading
subcommands" pattern), so `pustaka search` never imports the job queue, Redis, the database
drivers or the PDF engines that `serve`, `worker` or `ingest` need. `pustaka --help` lists every
command from the table below without importing any of them. No command prints a traceback: the
group turns an unexpected error into one line and a log file (`guard`).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from cli.guard import (
    EXIT_CLOSED_PIPE,
    EXIT_UNEXPECTED,
    crash_log_folder,
    crash_message,
    quiet_stdout,
    record_crash,
)

if TYPE_CHECKING:
    from library.settings import Settings


class Entry(NamedTuple):
    """Where a command lives (a module of this package, a name in it) and its docstring's first line."""

    module: str
    attribute: str
    summary: str


COMMANDS = {
    "access-copies": Entry(
        "ingest",
        "access_copies",
        "Give scans taken in earlier an access copy, and measure each page's ink for the stamp once.",
    ),
    "check": Entry(
        "check", "check", "Report what is installed and what is missing, and what to do about it."
    ),
    "backup": Entry(
        "backup",
        "backup",
        "Back up the database, the file store and the keys (into DEST, else a new dated backup folder).",
    ),
    "check-index": Entry(
        "search", "check_index_command", "Compare the search index with the database and say what differs."
    ),
    "consultations": Entry("consultations", "consultations_group", "Online consultations."),
    "db": Entry("database", "db", "Manage the database schema."),
    "deliver": Entry(
        "ledger",
        "deliver",
        "Stamp a copy of a publication for one person, record it in the ledger, write it to OUT.",
    ),
    "demo": Entry("database", "demo", "The demo catalogue."),
    "housekeeping": Entry(
        "ledger", "housekeeping", "Delete stored copies no link can download any more, and old outbox mail."
    ),
    "ingest": Entry(
        "ingest", "ingest", "Take in publications (PDF, TIFF, JPEG/PNG, or a folder of page images)."
    ),
    "keys": Entry("keys", "keys_group", "The keys that sign copies, sessions and email links."),
    "marc": Entry(
        "marc", "marc_group", "MARC21 in and out: ISO 2709 (.mrc) and MARCXML, in the BPS profile."
    ),
    "move": Entry(
        "move",
        "move",
        "Copy this instance's rows and files to another database and file store, and index them there.",
    ),
    "reindex": Entry("search", "reindex", "Rebuild the search index from the database."),
    "report": Entry("report", "report_group", "Reports on the service standards."),
    "restore": Entry(
        "backup",
        "restore",
        "Restore a backup, checked file by file, into an empty instance.",
    ),
    "search": Entry("search", "search_command", "Search the catalogue as the search page does."),
    "serve": Entry(
        "serve",
        "serve",
        "Migrate the database, load the demo on first start, and serve the site with waitress.",
    ),
    "trace": Entry(
        "ledger", "trace", "Find the marks in a PDF or image and name the delivery they point to."
    ),
    "usage": Entry(
        "usage",
        "usage_group",
        "Usage of publications (COUNTER): the robots list, counting, an access log taken in.",
    ),
    "users": Entry("accounts", "users_group", "People and their roles."),
    "voice": Entry(
        "voice", "voice_group", "The board's spoken call: clips of words and numbers, joined per call."
    ),
    "worker": Entry(
        "serve",
        "worker",
        "Run queued jobs of one lane or both (and watch the hot folder with batch), until stopped.",
    ),
}


ONLY_HELP = "pustaka.only-help"  # the context's note that the words ask for a command's help


class LazyGroup(click.Group):
    """A group whose commands are named in a table and imported only when one is run."""

    def __init__(self, *args: Any, lazy: dict[str, Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return the names of every command in alphabetical order."""
        return sorted(self.lazy)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return a command, importing its module (once per process)."""
        entry = self.lazy.get(cmd_name)
        if entry is None:
            return None
        command: click.Command = getattr(
            importlib.import_module(f"{__name__}.{entry.module}"), entry.attribute
        )
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Note whether only help is asked for (a command's --help needs no instance), then parse."""
        ctx.meta[ONLY_HELP] = bool({"--help", "-h"} & set(args))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an unexpected error becomes one line and exit code 70, its traceback a log."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, EOFError):
            raise  # click says these itself, in one line
        except BrokenPipeError:  # the output's reader has gone (`| head -1`): no error of this command
            quiet_stdout()
            ctx.exit(EXIT_CLOSED_PIPE)
        except Exception as exc:  # noqa: BLE001 - the last guard: no command ever prints a traceback
            settings = getattr(ctx.obj, "settings", None)  # the Runtime, once the group made it
            instance = settings.instance_path if settings is not None else None
            log = record_crash(exc, crash_log_folder(instance))
            click.echo(crash_message(exc, log), err=True)
            ctx.exit(EXIT_UNEXPECTED)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List every command with its one-line help from the table, importing none of them."""
        limit = formatter.width - 6 - max(len(name) for name in self.lazy)
        rows = [
            (name, click.Command(name, help=self.lazy[name].summary).get_short_help_str(limit))
            for name in sorted(self.lazy)
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _show_version(ctx: click.Context) -> None:
    """Print the release and the database schema it needs, and end the command."""
    from importlib.metadata import version

    from library import migrate

    click.echo(f"pustaka {version('pustaka')} (database schema {migrate.head_revision()})")
    ctx.exit()


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _show_version(ctx) if value and not ctx.resilient_parsing else None,
    help="Show the release and the database schema it needs, and exit.",
)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Pustaka: the PST service desk of a BPS office."""
    if ctx.obj is None:
        # Loaded here, not at the top: `pustaka --help` and a command's --help need none of them.
        from library.errors import PustakaError
        from library.settings import Settings
        from runtime.logs import configure_logging
        from runtime.root import Runtime

        try:
            settings = Settings.from_env()
        except PustakaError as exc:
            raise click.ClickException(str(exc)) from None
        refuse_without_instance(ctx, settings)
        configure_logging(settings, f"pustaka {ctx.invoked_subcommand}")
        ctx.obj = Runtime(settings)
        keep_private(ctx.obj.settings.instance_path, proxy_reads_files=bool(settings.send_file_header))
    else:
        refuse_without_instance(ctx, ctx.obj.settings)
    ctx.call_on_close(ctx.obj.close)


MAKE_AN_INSTANCE = frozenset(
    {"serve", "demo", "db", "check", "restore", "voice"}
)  # what may run where no instance is yet (`voice`: scripts/run makes the clips before the first serve)


def refuse_without_instance(ctx: click.Context, settings: Settings) -> None:
    """Refuse a command that needs an instance where there is none, naming the settings looked for.

    Without this, a command run without the installation's settings (a new shell, cron) quietly
    made a new SQLite instance in ./instance and worked on it: "1 ingested", into the wrong place.
    """
    command = ctx.invoked_subcommand
    if command is None or command in MAKE_AN_INSTANCE or ctx.meta.get(ONLY_HELP):
        return
    database = settings.instance_path / "pustaka.sqlite3"
    if settings.database_url or database.exists():
        return
    raise click.ClickException(
        f"There is no Pustaka instance here: PUSTAKA_DATABASE_URL is not set and there is no database "
        f"at {database} (PUSTAKA_INSTANCE_DIR={settings.instance_path}). Run `pustaka {command}` with "
        "the settings of your installation (for example: set -a; . /etc/pustaka/pustaka.env; set +a), "
        "or make a new instance with `pustaka db upgrade` (or start one with `pustaka serve`)."
    )


def keep_private(instance: Path, *, proxy_reads_files: bool = False) -> None:
    """Make what the instance holds readable by its owner only: the database, files, outbox, secrets.

    The outbox holds live reset and verification links; new files are made 0600 and folders 0700
    (umask), and the instance folder itself is closed to other users, which covers files made
    before with looser modes. When a proxy sends the stored files (PUSTAKA_SEND_FILE_HEADER),
    what is made is readable by the group too (umask 027): the file store's folder belongs to the
    proxy's group and passes it on (setgid), so nginx reads the folders made later; everything
    else stays behind the instance folder (0700) or is made 0600 on purpose (the keys).
    """
    os.umask(0o027 if proxy_reads_files else 0o077)
    try:
        instance.mkdir(mode=0o700, parents=True, exist_ok=True)
        if instance.stat().st_uid == os.getuid():
            instance.chmod(0o700)
    except OSError:
        pass  # a read-only or foreign folder: the command says what it cannot do when it gets there

"""`pustaka` starts fast: a command imports only what it uses, and the help imports no command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from cli import COMMANDS, LazyGroup, main
from library.settings import Settings
from runtime.root import Runtime

# What only serving (the web shell included), the job queue, PostgreSQL, Redis, taking in and
# stamping files, migrating the schema or searching need; and the modules of the commands themselves.
WATCHED = (
    *("flask", "huey", "redis", "psycopg", "psycopg2", "waitress", "pymupdf", "fitz", "pikepdf", "reportlab"),
    *("alembic", "whoosh"),
    *sorted({f"cli.{entry.module}" for entry in COMMANDS.values()}),
)


def modules_after(args: list[str], instance: Path, watched: tuple[str, ...] = WATCHED) -> list[str]:
    """Run `pustaka ARGS` in a fresh interpreter and say which of the `watched` modules it loaded."""
    script = (
        "import json, sys\n"
        "from cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        f"watched = {list(watched)!r}\n"
        "print(json.dumps(sorted(m for m in watched if m in sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env={**os.environ, "PUSTAKA_INSTANCE_DIR": str(instance)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_search_loads_neither_the_queue_nor_the_drivers_nor_the_pdf_engines(tmp_path: Path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance")
    assert CliRunner().invoke(main, ["db", "upgrade"], obj=Runtime(settings)).exit_code == 0
    assert modules_after(["search", "penduduk"], tmp_path / "instance") == ["cli.search", "whoosh"]


def test_help_lists_the_commands_without_importing_any(tmp_path: Path) -> None:
    # nor the database layer, the models or the runtime: the list comes in a fifth of a second
    watched = (*WATCHED, "sqlalchemy", "library.models", "runtime.root", "holidays")
    assert modules_after(["--help"], tmp_path / "instance", watched) == []


def test_the_help_reads_as_the_commands_describe_themselves() -> None:
    context = click.Context(main)
    commands = {name: main.get_command(context, name) for name in COMMANDS}
    eager = click.Group("pustaka", commands=commands, help=main.help)
    lazy = LazyGroup("pustaka", lazy=COMMANDS, help=main.help)

    def help_of(group: click.Group) -> str:
        return CliRunner().invoke(group, ["--help"]).output

    assert re.search(r"\n  search +Search the catalogue as the search page does\.", help_of(lazy))
    assert help_of(lazy) == help_of(eager)


def test_an_unknown_command_is_refused_with_the_usual_message() -> None:
    result = CliRunner().invoke(main, ["nosuch"])
    assert result.exit_code == 2
    assert "No such command 'nosuch'." in result.output


def test_the_version_names_the_release_and_the_schema_it_needs() -> None:
    from library import migrate

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(
        rf"pustaka \d+\.\d+\.\d+ \(database schema {migrate.head_revision()}\)\n", result.output
    )

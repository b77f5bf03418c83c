"""What `serve` and `worker` check before they start: what would otherwise fail them later, unseen.

A misspelt setting is ignored (the site runs on the default, far from what the administrator
meant); a key file the service user cannot read, or an empty one, fails the first sign-in or
the first copy hours later. Both are named at start, with their fix, and the process refuses
to start. `pustaka check` reports the same lines among the rest.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import click

from cli.check import check_office, check_variables
from cli.check_files import check_keys_readable
from cli.check_result import Check
from library.settings import Settings


def start_checks(settings: Settings, environ: Mapping[str, str] | None = None) -> list[Check]:
    """Return the checks a starting `serve` or `worker` must pass."""
    return [
        check_variables(os.environ if environ is None else environ),
        check_office(settings.office),
        check_keys_readable(settings),
    ]


def refuse_to_start(settings: Settings, command: str) -> None:
    """Stop the command, naming each failed check and its fix, unless every start check passes."""
    failed = [item for item in start_checks(settings) if not item.ok]
    if not failed:
        return
    lines = [f"`pustaka {command}` did not start:"]
    for item in failed:
        lines.append(f"  {item.name}: {item.detail}")
        lines.append(f"    -> {item.hint}")
    lines.append("`pustaka check` lists everything else.")
    raise click.ClickException("\n".join(lines))

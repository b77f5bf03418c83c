"""Online consultations from the command line: the job that reminds silent users and closes."""

from __future__ import annotations

import click

from library.consultation.silence import close_silent
from runtime.root import Runtime
from webapp.cli.context import clear_errors, pass_runtime


@click.group("consultations")
def consultations_group() -> None:
    """Online consultations."""


@consultations_group.command("close-silent")
@pass_runtime
def close_silent_command(rt: Runtime) -> None:
    """Remind users the consultant waits for, and close consultations silent past the office's rule."""
    with clear_errors(), rt.transaction() as uow:
        run = close_silent(uow, rt.consultation_rules(), rt.now(), rt.consultation_post())
    click.echo(
        f"Diingatkan / reminded: {len(run.reminded)} {' '.join(run.reminded)}".rstrip()
        + f"\nDitutup otomatis / closed automatically: {len(run.closed)} {' '.join(run.closed)}".rstrip()
    )

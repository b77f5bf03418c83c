"""Consultations from the command line: the job that reminds silent users and closes; the mailbox read."""

from __future__ import annotations

import click

from cli.context import clear_errors, pass_runtime
from library.consultation.silence import close_silent
from runtime.consultation_mailbox import read_consultation_mailbox
from runtime.root import Runtime


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


@consultations_group.command("read-mailbox")
@pass_runtime
def read_mailbox_command(rt: Runtime) -> None:
    """Read the consultation mailbox once now, as the job workers do every interval."""
    with clear_errors():
        run = read_consultation_mailbox(rt)
    if run is None:
        raise click.ClickException(
            "No consultation mailbox is set (PUSTAKA_CONSULTATION_IMAP_HOST is empty)."
        )
    click.echo(f"Kotak surat konsultasi / consultation mailbox: {run.summary()}")
    if run.numbers:
        click.echo(" ".join(run.numbers))
    if run.trouble:
        raise SystemExit(1)

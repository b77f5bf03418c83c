"""`pustaka voice`: the waiting-room board's spoken call, as clips made once on this host."""

from __future__ import annotations

import subprocess

import click

from cli.context import pass_runtime
from library.frontoffice.voice.clips import ClipState, VoiceFolders, build_clips, clip_states
from library.frontoffice.voice.phrases import LANGUAGES
from runtime.root import Runtime

INSTALL_HINT = "Install espeak-ng (sudo apt-get install espeak-ng), or put the office's recordings in place."


@click.group("voice")
def voice_group() -> None:
    """The board's spoken call: clips of words and numbers, joined per call."""


@voice_group.command("build")
@click.option("--again", is_flag=True, help="Render the synthesized clips again (never the office's own).")
@pass_runtime
def voice_build(rt: Runtime, again: bool) -> None:
    """Render with espeak-ng every clip the board may play that is missing; keep the office's recordings."""
    folders = VoiceFolders.of(rt.settings)
    try:
        report = build_clips(folders, again=again)
    except FileNotFoundError:
        raise click.ClickException(f"espeak-ng is not installed. {INSTALL_HINT}") from None
    except (subprocess.SubprocessError, OSError) as exc:
        raise click.ClickException(f"espeak-ng could not render a clip ({exc}).") from None
    click.echo(
        f"{report.made} clips made, {report.kept} made before and kept, "
        f"{report.own} the office's own recordings; in {folders.built}."
    )


@voice_group.command("list")
@pass_runtime
def voice_list(rt: Runtime) -> None:
    """List every clip the board may play: synthesized, the office's own recording, or missing."""
    folders = VoiceFolders.of(rt.settings)
    for language in LANGUAGES:
        states = clip_states(folders, language)
        counts = {state: sum(1 for s in states.values() if s is state) for state in ClipState}
        synthesized, own, missing = (counts[s] for s in ClipState)
        click.echo(f"{language}: {synthesized} synthesized, {own} the office's own, {missing} missing")
        for clip, state in states.items():
            click.echo(f"  {clip:<16} {state.value}")
    click.echo(f"Synthesized clips: {folders.built}; the office's recordings: {folders.own}.")

"""`pustaka keys`: the signing keys, and rotating them without breaking what the old ones signed."""

from __future__ import annotations

import hashlib

import click

from cli.context import clear_errors, pass_runtime
from library.tokens import RETIRED, SECRET_FILES, SESSION_KEY_KEPT, end_sessions, key_files, rotate_key
from runtime.root import Runtime

WHAT = {
    "delivery_key": "signs the QR codes and dot patterns of delivered copies",
    "secret_key": "signs sessions, sign-in cookies and the links in emails",
}
WHICH = {"delivery": ("delivery_key",), "session": ("secret_key",), "both": SECRET_FILES}


@click.group("keys")
def keys_group() -> None:
    """The keys that sign copies, sessions and email links."""


@keys_group.command("list")
@pass_runtime
def keys_list(rt: Runtime) -> None:
    """List the keys, current and retired, by a short fingerprint (never the key itself)."""
    folder = rt.settings.secrets_path
    with clear_errors():
        _ = rt.secret_key, rt.delivery_key  # made now if never needed yet; a lost delivery key is an error
    for name in key_files(folder):
        match = RETIRED.match(name)
        state = f"retired {match[2]}" if match else "current"
        key = (folder / name).read_text().strip().encode()
        print_name = match[1] if match else name
        click.echo(
            f"{print_name:<13} {state:<25} {hashlib.sha256(key).hexdigest()[:12]}  ({WHAT[print_name]})"
        )


@keys_group.command("rotate")
@click.option(
    "--key",
    "which",
    type=click.Choice(sorted(WHICH)),
    default="both",
    show_default=True,
    help="Which key to replace.",
)
@click.option(
    "--end-sessions",
    is_flag=True,
    help="Also delete every retired session key: everyone signs in again, mailed links stop working.",
)
@pass_runtime
def keys_rotate(rt: Runtime, which: str, end_sessions: bool) -> None:
    """Put new keys in place; the retired ones still verify what they signed (unless --end-sessions)."""
    if end_sessions and "secret_key" not in WHICH[which]:
        raise click.UsageError("--end-sessions replaces the session key: use it with --key session or both.")
    folder = rt.settings.secrets_path
    with clear_errors():
        _ = rt.secret_key, rt.delivery_key  # a lost delivery key is refused here, never rotated away
        for name in WHICH[which]:
            if name == "secret_key" and end_sessions:
                _end_every_session(rt)
                continue
            retired = rotate_key(folder, name, rt.now())
            click.echo(f"{name}: a new key signs from now on; the old one is kept as {folder / retired}.")
    if "delivery_key" in WHICH[which]:
        click.echo(
            "Copies stamped before keep their QR pages ('Salinan asli') and traces: "
            "keep every retired delivery key, and back it up."
        )
    if "secret_key" in WHICH[which] and not end_sessions:
        click.echo(
            f"Sessions and email links made before stay valid until they expire (at most "
            f"{SESSION_KEY_KEPT.days} days); new sessions are signed with the new key at once."
        )
    click.echo(
        "Every process reads the new keys by itself. Run `pustaka backup` now: the backup must hold them."
    )


def _end_every_session(rt: Runtime) -> None:
    """Replace the session key and delete every retired one, saying what went."""
    folder = rt.settings.secrets_path
    _, deleted = end_sessions(folder, rt.now())
    click.echo(
        f"secret_key: a new key signs from now on; every retired session key is deleted "
        f"({len(deleted)}: {', '.join(sorted(deleted))})."
    )
    click.echo(
        "Every session, 'keep me signed in' cookie and emailed link made before no longer works: "
        "everyone signs in again, and links must be asked for anew. Running web processes drop the "
        "deleted keys at their next request: no restart is needed."
    )

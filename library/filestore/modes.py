"""Folders that hold what must stay Pustaka's own: no other user of the machine may write them.

A secrets folder another local user can write lets them replace `secret_key` and sign an
administrator's session cookie (seen on a folder left at 0777); a file store others can write
lets them swap a publication's master under its checksum's name, or a delivered copy. The same
holds for any folder above them that others may write without the sticky bit (they could rename
the folder away and put their own in its place). The secret files themselves are for the owner
alone. `pustaka check`, `serve`, `worker` and `move` refuse to go on with such a folder, naming
it and the command that closes it.
"""

from __future__ import annotations

import stat
from pathlib import Path

from library.errors import StorageError
from library.tokens import key_files


def unsafe_folder(path: Path, *, secrets: bool = False) -> str | None:
    """Return why other users could change what the folder holds, or None when only its owner can.

    A secrets folder (`secrets`) must not be writable by its group either, and its key files must
    be readable and writable by their owner alone. A folder not made yet is judged by its parents.
    """
    path = path.expanduser().absolute()
    if path.exists():
        mode = path.stat().st_mode
        if mode & (stat.S_IWGRP | stat.S_IWOTH if secrets else stat.S_IWOTH):
            return f"{path} can be written by other users (mode {stat.filemode(mode)}): run chmod go-w {path}"
        if secrets:
            for name in key_files(path):
                key = path / name
                if key.exists() and key.stat().st_mode & 0o077:
                    return f"{key} can be read or written by other users: run chmod 600 {key}"
    for parent in path.parents:
        if not parent.exists():
            continue
        mode = parent.stat().st_mode
        if mode & stat.S_IWOTH and not mode & stat.S_ISVTX:
            shown = stat.filemode(mode)
            return (
                f"{parent}, a folder above {path}, can be written by every user (mode {shown}), "
                f"who could put a folder of their own in its place: run chmod o-w {parent}"
            )
    return None


def require_private_folders(secrets_dir: Path, files_dir: Path) -> None:
    """Refuse to go on when other users could change the secrets or the file store."""
    for path, secrets in ((secrets_dir, True), (files_dir, False)):
        why = unsafe_folder(path, secrets=secrets)
        if why is not None:
            raise StorageError("Other users of this machine could change Pustaka's files: %(why)s.", why=why)

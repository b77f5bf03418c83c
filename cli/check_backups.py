"""`pustaka check`'s lines about backups: the backup folder, the office's backup key, the last good backup.

Nothing is written: the folder is looked at (and its nearest existing parent when it is not made
yet), the key is read, and the last good backup's age comes from `backup_run`, as /readyz reads it.
"""

from __future__ import annotations

import os
from pathlib import Path

from cli.check_result import Check
from library.moving.sealing import SealBroken, read_key_file
from library.settings import Settings
from runtime.readiness import Part


def check_backup_folder(settings: Settings) -> Check:
    """Check that the backup folder can be written (or made) by this user, without writing."""
    folder = settings.backup_path
    nearest = folder
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    hint = (
        f"Make it writable by the user running the backups (the shipped units: pustaka): "
        f"install -d -o pustaka -g pustaka -m 0700 {folder}; or set PUSTAKA_BACKUP_DIR. "
        "A web host that does not mount it may ignore this line."
    )
    if not os.access(nearest, os.W_OK | os.X_OK):
        return Check("backup folder", False, f"{nearest} is not writable by this user", hint, required=False)
    if nearest != folder:
        return Check("backup folder", True, f"{folder} will be made by the first backup")
    return Check("backup folder", True, f"{folder} is writable ({settings.backup_keep})")


def check_backup_key(settings: Settings) -> Check:
    """Check that the office's backup key (when set) can be read and is kept outside the instance."""
    if not settings.backup_key_file:
        return Check(
            "backup key",
            True,
            "not set: backups are neither signed nor encrypted",
            required=False,
        )
    path = Path(settings.backup_key_file).expanduser().resolve()
    try:
        key = read_key_file(path)
    except SealBroken as error:
        return Check(
            "backup key",
            False,
            str(error),
            "Let the user running the backups read it (0600, its owner), or put back the office's copy.",
        )
    inside = path.is_relative_to(settings.instance_path) or path.is_relative_to(settings.backup_path)
    if inside:
        return Check(
            "backup key",
            False,
            f"{path} is inside the instance or the backup folder: a backup taken takes its key with it",
            "Keep the key outside both (e.g. /etc/pustaka/backup.key, 0600) and a copy off the machine.",
            required=False,
        )
    encrypted = "signs and encrypts" if settings.backup_encrypt else "signs"
    return Check("backup key", True, f"{path} is readable (key {key.key_id}): it {encrypted} each backup")


def check_last_backup(part: Part | None) -> Check:
    """Turn /readyz's backup part into a line: the last good backup's age against the limit set."""
    if part is None:
        return Check("last good backup", False, "cannot be read", "See the database line.", required=False)
    return Check(
        "last good backup",
        part.ok,
        part.detail,
        "Run 'pustaka backup' and read what it says; see pustaka-backup.timer and its journal.",
        required=False,
    )

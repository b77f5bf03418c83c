"""The settings of backups: where they go, how long they are kept, the key, the copy off the machine.

Declared apart from the rest (`library.settings.Settings` inherits them); each is a PUSTAKA_*
variable like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from library.settings.declare import setting as _setting


@dataclass(frozen=True)
class BackupSettings:
    """Backups an office can rely on for years (docs/operations.md, "Backups")."""

    backup_dir: str = _setting(
        "", "Folder `pustaka backup` writes its dated backups into. Empty: INSTANCE_DIR/backups."
    )
    backup_keep: str = _setting(
        "daily=7,weekly=4,monthly=12",
        "Backups kept: the newest of each of the last N days, ISO weeks, months (and years: yearly=N).",
    )
    backup_key_file: str = _setting(
        "", "The office's backup key, kept outside the instance: signs each manifest. Empty: unsigned."
    )
    backup_encrypt: bool = _setting(False, "Encrypt backups with the backup key (AES-GCM).")
    backup_copy_command: str = _setting(
        "", "Command run (no shell) after each good backup to copy it off the machine; {path}: its folder."
    )
    backup_max_age_hours: int = _setting(
        26, "Age of the last good backup past which /readyz answers 503 and an alert fires; 0: never."
    )

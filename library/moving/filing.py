"""A backup's files one by one: written (copied, encrypted, hard-linked from the previous one), read back.

A file of the store unchanged since the previous good backup (the same path, size and sha256 as
its manifest names) is hard-linked from it rather than written again: the store's files never
change once written (content-addressed), so a year of nightly backups holds each file once.
Across filesystems (no hard links) the file is copied. A link is made only between backups of
the same kind: both encrypted with the same key, or both plain.

Restored, the file store gets back the modes the proxy sending its files needs (its group with
read access, passed on to new folders by the setgid bit; `pustaka check` names the same).
"""

from __future__ import annotations

import grp
import hashlib
import os
import shutil
import stat
from pathlib import Path

from library.moving.sealing import BackupKey, seal_file, sealed_digest, unseal_file

Entry = dict[str, object]  # a manifest's line for one file: {"size": ..., "sha256": ...}


def describe(path: Path) -> Entry:
    """Return a plain file's size and sha256."""
    with open(path, "rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    return {"size": path.stat().st_size, "sha256": digest}


def describe_stored(path: Path, name: str, key: BackupKey | None) -> Entry:
    """Return the size and sha256 of what a backup's file holds (decrypted when `key` is given)."""
    return describe(path) if key is None else sealed_digest(path, key, name)


def put(source: Path, target: Path, name: str, key: BackupKey | None) -> None:
    """Write one file into a backup: copied, or encrypted with the key."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if key is None:
        shutil.copyfile(source, target)
    else:
        seal_file(source, target, key, name)


def link_or_put(source: Path, target: Path, name: str, key: BackupKey | None, earlier: Path | None) -> bool:
    """Hard-link the previous backup's copy if given, else (or across filesystems) write it; say if linked."""
    if earlier is not None and earlier.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(earlier, target)
            return True
        except OSError:  # another filesystem, or links not allowed there: a copy costs only room
            pass
    put(source, target, name, key)
    return False


def take_out(source: Path, target: Path, name: str, key: BackupKey | None) -> None:
    """Write a backup's file into place (decrypted when `key` is given), by temporary file and rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restoring")
    if key is None:
        shutil.copyfile(source, tmp)
    else:
        unseal_file(source, tmp, key, name)
    os.replace(tmp, target)


def store_group(files: Path) -> tuple[str, bool] | None:
    """Return the file store folder's group and whether it passes it on (setgid); None: no store."""
    try:
        status = files.stat()
    except OSError:
        return None
    try:
        name = grp.getgrgid(status.st_gid).gr_name
    except KeyError:
        name = str(status.st_gid)
    return name, bool(status.st_mode & stat.S_ISGID)


def give_store_to_group(files: Path, group: str) -> list[str]:
    """Give the store's folders and files to `group`, readable, folders passing it on; say what was done."""
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        return [f"the group {group} does not exist here: the file store's modes were left as restored"]
    changed, refused = 0, []
    for path in [files, *sorted(files.rglob("*"))]:
        try:
            if path.stat().st_gid != gid:
                os.chown(path, -1, gid)
            mode = stat.S_IMODE(path.stat().st_mode)
            wanted = ((mode | 0o2050) if path.is_dir() else (mode | 0o040)) & ~0o020
            if wanted != mode:
                path.chmod(wanted)
            changed += 1
        except OSError as error:
            refused.append(f"{path}: {error.strerror or error}")
    said = [
        f"gave {changed} folders and files of {files} to the group {group}, readable, "
        "new folders passing it on"
    ]
    if refused:
        said.append(
            f"could not change {len(refused)} of them ({refused[0]}): as root run "
            f"chgrp -R {group} {files} && chmod -R g+rX,g-w {files} && "
            f"find {files} -type d -exec chmod g+s {{}} +"
        )
    return said

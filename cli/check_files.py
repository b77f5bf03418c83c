"""`pustaka check`'s lines about the files Pustaka keeps.

Its folders are writable and closed to other users, the proxy sending stored files can read
them, and the delivery key is the one that signed the copies the ledger names.
"""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

from sqlalchemy import select

from cli.check_result import Check
from library.filestore.modes import unsafe_folder
from library.models import Delivery
from library.settings import Settings
from library.tokens import key_files
from runtime.root import Runtime


def check_folder(name: str, path: Path) -> Check:
    """Check that a folder exists (or can be made) and is writable."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".write-test-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return Check(
            name,
            False,
            f"{path} is not writable ({exc.strerror or exc})",
            "Point PUSTAKA_INSTANCE_DIR at a folder this user can write to.",
        )
    return Check(name, True, f"{path} is writable")


def check_private(name: str, path: Path, *, secrets: bool = False) -> Check:
    """Check that no other user of the machine can change what a folder holds."""
    why = unsafe_folder(path, secrets=secrets)
    if why is not None:
        return Check(
            name, False, why, "Close the folder to other users; `pustaka serve` refuses to start until then."
        )
    return Check(name, True, f"{path} is writable by its owner only")


def check_proxy_reads_files(settings: Settings) -> Check:
    """Check that the proxy sending the stored files (X-Accel-Redirect) can read the file store."""
    files = settings.files_path
    name = "files sent by the proxy"
    if not settings.send_file_header:
        return Check(name, True, "no: Pustaka sends the files itself", required=False)
    group = _group_of(files)
    fix = (
        f"Give the file store to the proxy's group, readable and passed on to new folders: "
        f"chgrp -R www-data {files} && chmod -R g+rX,g-w {files} && "
        f"find {files} -type d -exec chmod g+s {{}} +"
    )
    if not files.is_dir():
        return Check(name, False, f"{files} does not exist", fix)
    closed = [
        path
        for path in (files, *sorted(files.glob("??"))[:20])
        if (path.stat().st_mode & 0o050) != 0o050 or not path.stat().st_mode & stat.S_ISGID
    ]
    if closed:
        return Check(
            name,
            False,
            f"{closed[0]} is not readable by its group ({group}) or does not pass the group on: "
            "the proxy would answer 403 for every download",
            fix,
        )
    return Check(name, True, f"{files} is readable by the group {group}, and new folders stay so")


def _group_of(path: Path) -> str:
    """Return the name of a folder's group (its number if it has none)."""
    try:
        gid = path.stat().st_gid
    except OSError:
        return "?"
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def check_delivery_key(rt: Runtime, *, ledger: bool = True) -> Check:
    """Check that the key verifying delivered copies is there whenever the ledger names deliveries.

    Without the ledger (`ledger` False: the database does not answer) only the file is looked at.
    """
    path = rt.settings.secrets_path / "delivery_key"
    if not ledger:
        if path.exists():
            return Check("delivery key", True, f"{path} is there (not compared with the ledger: no database)")
        return Check(
            "delivery key",
            False,
            f"{path} is missing; whether the ledger needs it is unknown while the database does not answer",
            "Fix the database first; if copies were delivered, put the key back from a backup.",
            required=False,
        )
    delivered = rt.deliveries_without_key()
    if delivered:
        return Check(
            "delivery key",
            False,
            f"{path} is missing, yet the ledger names {delivered} deliveries",
            "Put the key back from a backup (`pustaka restore`), or set PUSTAKA_SECRETS_DIR to where it is.",
        )
    if not path.exists():
        return Check("delivery key", True, "not made yet: no copy was delivered")
    return _key_signs_the_ledger(rt, path)


def _key_signs_the_ledger(rt: Runtime, path: Path) -> Check:
    """Check the key against the newest copy still stored: its QR code must carry a signature of the ring."""
    from watermark.trace.reading import read_marks  # the tracer's engines load only for this check

    with rt.uow() as uow:
        newest = uow.session.execute(
            select(Delivery.delivery_id, Delivery.output_sha256).order_by(Delivery.id.desc()).limit(20)
        ).all()
    stored = next((row for row in newest if rt.store.exists(row.output_sha256)), None)
    if stored is None:
        return Check("delivery key", True, f"{path} is there")
    try:
        marks = read_marks(rt.store.path_for(stored.output_sha256), secret=rt.delivery_keys, ocr=False)
    except Exception:  # noqa: BLE001 - an unreadable copy says nothing of the key
        return Check("delivery key", True, f"{path} is there")
    verdicts = {e.signature_valid for e in marks.evidence if e.delivery_id == stored.delivery_id}
    if False in verdicts and True not in verdicts:
        return Check(
            "delivery key",
            False,
            f"{path} did not sign the newest copy in the ledger ({stored.delivery_id}): it belongs to "
            "another instance or backup, and every copy's QR page would say it is not genuine",
            "Put back the secrets folder that belongs with this database (from the same backup).",
        )
    return Check("delivery key", True, f"{path} signed the newest copy in the ledger ({stored.delivery_id})")


MIN_KEY_CHARS = 32


def check_keys_readable(settings: Settings) -> Check:
    """Check that every key file in the secrets folder can be read by this user and is not empty."""
    folder = settings.secrets_path
    if not folder.exists():
        return Check("keys", True, f"{folder} does not exist yet: the keys are made on first use")
    try:
        names = key_files(folder)
    except OSError as error:
        return _unreadable(str(folder), error)
    for name in names:
        path = folder / name
        try:
            value = path.read_text().strip()
        except OSError as error:
            return _unreadable(str(path), error)
        if len(value) < MIN_KEY_CHARS:
            return Check(
                "keys",
                False,
                f"{path} is empty or too short",
                "Put back the key from a backup, or delete the file so a new one is made "
                "(what the old key signed can then no longer be verified).",
            )
    return Check("keys", True, f"{len(names)} key file(s) in {folder} readable")


def _unreadable(where: str, error: OSError) -> Check:
    """Return the failed line for a key this user cannot read."""
    return Check(
        "keys",
        False,
        f"{where} cannot be read ({error.strerror or error.__class__.__name__})",
        "Run Pustaka as the service user that owns the instance folder (docs/production.md), "
        "or give that user the folder back: chown -R pustaka: <instance folder>.",
    )

"""Deployment secrets, generated once into the instance folder and never hard-coded."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from library.errors import StorageError


def load_or_create_secret(instance_dir: Path, name: str = "secret_key", nbytes: int = 32) -> bytes:
    """Return the named secret, creating it (mode 0600) on first use."""
    folder = instance_dir / "secrets"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.exists():
        # Write a temporary file, then link it into place: os.link fails if the
        # name exists, so two processes starting at once agree on one secret and
        # neither ever reads a half-written file.
        tmp = folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(nbytes))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    value = path.read_text().strip()
    if len(value) < 32:
        raise StorageError(
            "The secret %(path)s is empty or too short; delete it so a new one is made.",
            path=str(path),
        )
    return value.encode()


def delivery_key(instance_dir: Path) -> bytes:
    """Return the key that signs the verification codes stamped on delivered copies."""
    # Separate from the session key: rotating one must not invalidate the other.
    return load_or_create_secret(instance_dir, "delivery_key")

"""Signed, expiring tokens for links (verification, password reset, OAI resumption) and the deployment
secrets that sign them, generated once into the instance folder and never hard-coded."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from library.errors import PustakaError, StorageError
from library.i18n import N_


class LinkInvalid(PustakaError):
    """A link was altered, belongs to another purpose, or was already used."""

    def __init__(self) -> None:
        super().__init__(N_("This link is not valid. It may have been copied incompletely or already used."))


class LinkExpired(PustakaError):
    """A link was genuine but is too old."""

    def __init__(self) -> None:
        super().__init__(N_("This link has expired. Ask for a new one."))


@dataclass(frozen=True)
class Purpose:
    """What a token is for: its own salt (a token for one purpose never works for another) and lifetime."""

    salt: str
    max_age: dt.timedelta


VERIFY_EMAIL = Purpose("pustaka.verify-email", dt.timedelta(hours=48))
RESET_PASSWORD = Purpose("pustaka.reset-password", dt.timedelta(hours=2))
# A walk-in's account has no password until they set one from a link in the email with their copy,
# which they may read days later: as long as the download link lasts by default.
SET_PASSWORD = Purpose("pustaka.set-password", dt.timedelta(days=7))


Keys = bytes | tuple[bytes, ...]  # one key, or a ring: the current key first, then retired ones


def _serializer(secret: Keys, purpose: Purpose, now: Callable[[], dt.datetime]) -> URLSafeTimedSerializer:
    """Return a serializer for the purpose whose clock is `now` (so tests can move time).

    Given a ring, it signs with the current key and accepts a signature by any of them.
    """

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(now().timestamp())

    keys = [secret] if isinstance(secret, bytes) else list(reversed(secret))  # itsdangerous: newest last
    return URLSafeTimedSerializer(keys, salt=purpose.salt, signer=ClockSigner)


def make_token(secret: Keys, purpose: Purpose, payload: dict[str, Any], now: dt.datetime) -> str:
    """Sign the payload for the purpose, stamped with the time `now`."""
    return str(_serializer(secret, purpose, lambda: now).dumps(payload))


def read_token(secret: Keys, purpose: Purpose, token: str, now: dt.datetime) -> dict[str, Any]:
    """Return the payload of a genuine, unexpired token for the purpose."""
    serializer = _serializer(secret, purpose, lambda: now)
    try:
        payload = serializer.loads(token, max_age=int(purpose.max_age.total_seconds()))
    except SignatureExpired:
        raise LinkExpired() from None
    except BadSignature:
        raise LinkInvalid() from None
    if not isinstance(payload, dict):
        raise LinkInvalid()
    return payload


def fingerprint(*parts: object) -> str:
    """Return a short digest of values a token must still match when it is used."""
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


SECRET_FILES = ("secret_key", "delivery_key")  # the keys a secrets folder holds: sessions and links, copies
# Keys made only where a feature is on, backed up when present: the office's Web Push (VAPID) key.
OPTIONAL_SECRET_FILES = ("web_push_key",)
# A key rotated out stays beside the current one as `<name>.retired-<UTC time>`, to verify what it signed.
RETIRED = re.compile(r"^(%s)\.retired-(\d{8}T\d{6}Z)$" % "|".join(SECRET_FILES))
RETIRED_TIME = "%Y%m%dT%H%M%SZ"
# The longest a signature of the session key lives (the remember-me cookie's 30 days, a walk-in's
# set-password link's 7): a retired session key verifies nothing older, so it is let go after this.
SESSION_KEY_KEPT = dt.timedelta(days=31)


def load_or_create_secret(instance_dir: Path, name: str = "secret_key", nbytes: int = 32) -> bytes:
    """Return the named secret of an instance folder, creating it (mode 0600) on first use."""
    return secret_in(instance_dir / "secrets", name, nbytes)


def secret_in(folder: Path, name: str, nbytes: int = 32) -> bytes:
    """Return the named secret kept in a folder, creating it (mode 0600) on first use.

    The folder may be shared by several hosts: the secret is linked into place whole, so hosts
    starting at once agree on one, and none relies on a lock.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.exists():
        place_secret(folder, name, secrets.token_hex(nbytes).encode())
    value = path.read_text().strip()
    if len(value) < 32:
        raise StorageError(
            "The secret %(path)s is empty or too short; delete it so a new one is made.",
            path=str(path),
        )
    return value.encode()


def place_secret(folder: Path, name: str, content: bytes) -> None:
    """Put a secret file (mode 0600) in a folder under `name`, whole, unless one is there already.

    Written to a temporary name, synced, then linked into place: os.link fails if the name
    exists, so two processes (or hosts sharing the folder) writing at once agree on one, and
    none ever reads a half-written file or relies on a lock.
    """
    tmp = _written(folder, name, content)
    try:
        os.link(tmp, folder / name)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def _written(folder: Path, name: str, content: bytes) -> Path:
    """Write a key (mode 0600) to a new temporary name beside `name`, synced; return its path."""
    tmp = folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return tmp


def delivery_key(instance_dir: Path) -> bytes:
    """Return the key that signs the verification codes stamped on delivered copies."""
    # Separate from the session key: rotating one must not invalidate the other.
    return load_or_create_secret(instance_dir, "delivery_key")


def key_files(folder: Path) -> list[str]:
    """Return the names of every key file in a secrets folder: the current keys and the retired ones."""
    if not folder.is_dir():
        return []
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and (p.name in SECRET_FILES + OPTIONAL_SECRET_FILES or RETIRED.match(p.name))
    )


def key_ring(folder: Path, name: str, *, now: dt.datetime | None = None) -> tuple[bytes, ...]:
    """Return a key's ring: the current key (the one that signs) first, then the retired ones, newest first.

    Retired session keys older than SESSION_KEY_KEPT are left out: nothing they signed is still valid.
    Retired delivery keys are kept for good, as every copy they signed may be verified or traced.
    """
    ring = [secret_in(folder, name)]
    for retired_name, retired_at in sorted(_retired(folder, name), reverse=True):
        if name == "secret_key" and now is not None and now - retired_at > SESSION_KEY_KEPT:
            continue
        value = (folder / retired_name).read_text().strip().encode()
        if len(value) >= 32 and value not in ring:
            ring.append(value)
    return tuple(ring)


def rotate_key(folder: Path, name: str, now: dt.datetime) -> str:
    """Retire a key, kept to verify what it signed, and put a new one in its place; return the retired name.

    The old key is linked to its retired name before the new one replaces it (os.replace: whole), so
    a process reading the folder meanwhile finds the old key or the new one, and never loses either.
    Retired session keys past SESSION_KEY_KEPT are deleted: they can verify nothing still valid.
    """
    if name not in SECRET_FILES:
        raise ValueError(name)
    current = folder / name
    if not current.is_file():
        raise StorageError("There is no key %(path)s to rotate.", path=str(current))
    retired = f"{name}.retired-{now.astimezone(dt.UTC).strftime(RETIRED_TIME)}"
    if (folder / retired).exists():
        raise StorageError("The key %(name)s was rotated a moment ago: wait a second.", name=name)
    value = secret_in(folder, name)
    place_secret(folder, retired, value)
    if (folder / retired).read_text().strip().encode() != value:
        raise StorageError("The key %(name)s was rotated a moment ago: wait a second.", name=name)
    os.replace(_written(folder, name, secrets.token_hex(32).encode()), current)
    if name == "secret_key":
        for old, retired_at in _retired(folder, name):
            if now - retired_at > SESSION_KEY_KEPT:
                (folder / old).unlink(missing_ok=True)
    return retired


def end_sessions(folder: Path, now: dt.datetime) -> tuple[str, list[str]]:
    """Put a new session key in place and delete every retired one; return the retired name and those deleted.

    Nothing signed before then verifies any more: sessions, "keep me signed in" cookies and the
    links in emails, whichever rotation's key signed them. Retired delivery keys are not touched:
    they verify the copies delivered before.
    """
    retired = rotate_key(folder, "secret_key", now)
    deleted = []
    for old, _retired_at in _retired(folder, "secret_key"):
        (folder / old).unlink(missing_ok=True)
        deleted.append(old)
    return retired, deleted


def _retired(folder: Path, name: str) -> list[tuple[str, dt.datetime]]:
    """Return the retired files of a key, each with the time it was retired."""
    found = []
    for file_name in key_files(folder):
        match = RETIRED.match(file_name)
        if match and match[1] == name:
            found.append((file_name, dt.datetime.strptime(match[2], RETIRED_TIME).replace(tzinfo=dt.UTC)))
    return found


def ring_expires(folder: Path, name: str, now: dt.datetime) -> dt.datetime | None:
    """Return when the key's ring as read `now` next loses a retired key (None: it never does by time).

    Only retired session keys expire (SESSION_KEY_KEPT after their retirement); a process
    holding the ring reads it again then, so an expired key verifies nothing, restart or not.
    """
    if name != "secret_key":
        return None
    ends = [at + SESSION_KEY_KEPT for _name, at in _retired(folder, name) if now - at <= SESSION_KEY_KEPT]
    return min(ends, default=None)

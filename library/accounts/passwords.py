"""Password hashing with scrypt (memory-hard, in the standard library)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading

# OWASP's scrypt floor: N=2^17, r=8, p=1 (128 MiB of memory per hash).
_N, _R, _P = 2**17, 8, 1
_MAXMEM = 256 * 1024 * 1024
# One hash at a time in a process (a web process serves on many threads; `serve` runs one web
# process per core): each takes 128 MiB and a core for a fraction of a second, so a burst of
# sign-ins or registrations waits its turn here instead of taking every core and gigabytes,
# and the pages of everyone else stay quick.
_ONE_AT_A_TIME = threading.Lock()


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """Return the scrypt digest, one computation at a time in this process."""
    with _ONE_AT_A_TIME:
        return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM)


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of the password, with its parameters."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _N, _R, _P)
    return "scrypt${}${}${}${}${}".format(
        _N, _R, _P, base64.b64encode(salt).decode(), base64.b64encode(digest).decode()
    )


def check_password(stored: str | None, password: str) -> bool:
    """Tell whether the password matches the stored hash."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest)
    actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str | None) -> bool:
    """Tell whether a stored hash was made with weaker parameters than today's."""
    if not stored:
        return False
    try:
        scheme, n, r, p, _salt, _digest = stored.split("$")
        return scheme != "scrypt" or (int(n), int(r), int(p)) < (_N, _R, _P)
    except ValueError:
        return True

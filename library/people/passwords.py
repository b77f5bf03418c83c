"""Password hashing with scrypt (memory-hard, in the standard library)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# OWASP's scrypt floor: N=2^17, r=8, p=1 (128 MiB of memory per hash).
_N, _R, _P = 2**17, 8, 1
_MAXMEM = 256 * 1024 * 1024


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of the password, with its parameters."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, maxmem=_MAXMEM)
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
    actual = hashlib.scrypt(
        password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), maxmem=_MAXMEM
    )
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

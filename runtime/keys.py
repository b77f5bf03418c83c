"""The instance's keys as a runtime holds them: the session key's and the delivery key's rings, its name.

Each key is a ring (the current key, then those retired that may still verify) read from the
secrets folder, and read again when the folder changes or a retired key expires, so every
process (web, workers, several hosts sharing the folder) signs with a new key and verifies what
it signed without a restart. `Runtime` (runtime.root) inherits these.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from library.errors import StorageError
from library.models import Delivery
from library.settings import Settings
from library.tokens import key_ring, ring_expires
from library.uow import UnitOfWork


class InstanceKeys:
    """The keys of the instance a runtime serves; the runtime gives its settings, clock and database."""

    settings: Settings
    now: Callable[[], dt.datetime]
    uow: Callable[[], UnitOfWork]
    # key name: (the folder's mtime, the ring, when a retired key in it expires)
    _rings: dict[str, tuple[int, tuple[bytes, ...], dt.datetime | None]]

    @property
    def secret_key(self) -> bytes:
        """Return the key that signs sessions, email links and OAI resumption tokens."""
        return self.session_keys[0]

    @property
    def session_keys(self) -> tuple[bytes, ...]:
        """Return the session key's ring: the current key, then those retired that may still verify."""
        return self._ring("secret_key")

    def deliveries_without_key(self) -> int:
        """Return how many deliveries the ledger names while the delivery key is missing (else 0)."""
        if (self.settings.secrets_path / "delivery_key").exists():
            return 0
        try:
            with self.uow() as uow:
                return uow.session.scalar(select(func.count(Delivery.id))) or 0
        except SQLAlchemyError:
            return 0  # no ledger yet (a database not migrated): nothing was signed

    @property
    def delivery_key(self) -> bytes:
        """Return the key that signs the verification codes stamped on delivered copies."""
        return self.delivery_keys[0]

    @property
    def delivery_keys(self) -> tuple[bytes, ...]:
        """Return the delivery key's ring: the current key first, then every retired one (to verify).

        Made on first use, but never in place of one lost: while the ledger names deliveries, a
        new key would call every genuine copy's QR page "not genuine" and cut traces off from
        their fingerprints, so a missing key is an error that says how to restore it.
        """
        held = self._rings.get("delivery_key")
        if held is None or held[0] != self._secrets_changed():
            delivered = self.deliveries_without_key()
            if delivered:
                raise StorageError(
                    "The delivery key %(path)s is missing, yet the ledger names %(n)s deliveries: a new "
                    "key could verify none of them. Put the key back from a backup (`pustaka restore`, "
                    "or its secrets/delivery_key with mode 0600), or set PUSTAKA_SECRETS_DIR to where it is.",
                    path=str(self.settings.secrets_path / "delivery_key"),
                    n=delivered,
                )
        return self._ring("delivery_key")

    @property
    def instance_id(self) -> str:
        """Return a name of this instance that every process and host serving it shares (not secret).

        Made from the first delivery key it ever had (kept for good, rotations or not): `pustaka
        check` asks /healthz at PUSTAKA_BASE_URL for it, to tell this instance from another.
        """
        first = self.delivery_keys[-1]
        return hmac.new(first, b"pustaka-instance", "sha256").hexdigest()[:16]

    def _secrets_changed(self) -> int:
        """Return the secrets folder's modification time: a rotation (or a restore) changes it."""
        try:
            return self.settings.secrets_path.stat().st_mtime_ns
        except OSError:
            return -1

    def _ring(self, name: str) -> tuple[bytes, ...]:
        """Return a key's ring, read again when the secrets folder changed or a retired key expired.

        So every process (web, workers, several hosts sharing the folder) verifies what a new key
        signed, and signs with it, without a restart.
        """
        seen, now = self._secrets_changed(), self.now()
        held = self._rings.get(name)
        if held is not None and held[0] == seen and (held[2] is None or now < held[2]):
            return held[1]
        folder = self.settings.secrets_path
        ring = key_ring(folder, name, now=now)
        # Read again when the folder changes (making the key may have changed it) or a retired key expires.
        self._rings[name] = (self._secrets_changed(), ring, ring_expires(folder, name, now))
        return ring

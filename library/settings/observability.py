"""The settings of watching the running site: /readyz's limits, /metrics' readers, alerts, the log.

Declared apart from the rest (`library.settings.Settings` inherits them), as docs/observability.md
describes them together; each is a PUSTAKA_* variable like any other.
"""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass

from library.settings.declare import setting as _setting
from library.settings.parsing import networks


@dataclass(frozen=True)
class ObservabilitySettings:
    """When the probes fail and the administrators are emailed, who reads the metrics, what is logged."""

    ready_min_free_mb: int = _setting(
        1024,
        "Free disk on the file store's volume, in megabytes, below which /readyz answers 503 and the "
        "administrators are alerted.",
    )
    ready_queue_minutes: int = _setting(
        10,
        "Minutes the oldest job may wait on a lane before /readyz answers 503 and the administrators "
        "are alerted (the queue is stuck).",
    )
    metrics_addresses: str = _setting(
        "127.0.0.1,::1",
        "Addresses (IPs or networks, comma-separated) that may read /metrics without a token.",
    )
    metrics_dir: str = _setting(
        "",
        "Folder where this host's processes write what they count for /metrics (emptied when "
        "`pustaka serve` starts; local disk, one per host). Empty: INSTANCE_DIR/metrics.",
    )
    metrics_token: str = _setting(
        "", "A token that lets any address read /metrics (header 'Authorization: Bearer TOKEN'); empty: none."
    )
    alert_every_minutes: int = _setting(
        60,
        "Minutes between two emails to the administrators about the same condition while it lasts "
        "(walk-in target missed now, queue stuck, no worker, copies failing, disk filling); 0: no emails.",
    )
    log_level: str = _setting(
        "INFO",
        "Least severe log records written: DEBUG (also static files and probes), INFO, WARNING or ERROR.",
    )
    log_file: str = _setting(
        "",
        "A file every process also appends its log records to (reopened after logrotate moves it); "
        "empty: standard error only (journald under systemd).",
    )

    @functools.cached_property
    def metrics_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """Return the networks that may read /metrics without a token."""
        return networks("PUSTAKA_METRICS_ADDRESSES", self.metrics_addresses)

"""A web process at its connection limit closes its longest idle connections instead of refusing new ones.

Waitress stops accepting once a process holds `connection_limit` connections and closes idle
ones only after `channel_timeout`: ~200 idle TCP connections (a flood, or a proxy's pool) shut
every new visitor out for two minutes. Here a process that reaches its limit first closes the
connections that are doing nothing (no request being answered), the longest idle first, a tenth
of the limit at a time, so a new visitor is accepted a turn or two of the loop later. A browser or a
proxy whose keep-alive connection is closed opens another; a request being answered is never cut.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)
SHED_SHARE = 10  # at the limit, close this share (1/n) of it, the longest idle first


def shedding_server(server_class: type[Any]) -> type[Any]:
    """Return a waitress server class that, at its connection limit, closes idle connections first."""

    def readable(self: Any) -> bool:
        if self.accepting and len(self._map) >= self.adj.connection_limit:
            shed_idle(self, max(1, self.adj.connection_limit // SHED_SHARE))
        return bool(server_class.readable(self))

    return type("SheddingServer", (server_class,), {"readable": readable})


def shed_idle(server: Any, count: int) -> int:
    """Close up to `count` of the server's connections that answer no request, longest idle first."""
    idle = [c for c in list(server.active_channels.values()) if not c.requests and not c.will_close]
    idle.sort(key=lambda channel: channel.last_activity)
    closing = idle[:count]
    for channel in closing:
        channel.will_close = True  # closed on the loop's next turn, as waitress closes timed-out ones
    if closing:
        log.warning(
            "At its limit of %d connections: closing %d idle ones", server.adj.connection_limit, len(closing)
        )
    return len(closing)

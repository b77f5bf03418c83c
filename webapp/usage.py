"""Usage of publications recorded where it happens: a view, a page shown, a download (COUNTER).

One call from the view that served it (`record_usage`), after it served: a known robot's
request (the COUNTER-Robots list, by its User-Agent) is left out and counted as such, staff at
work are not counted (as for searches), and anyone else's event is kept in memory under a
session key, never their address, for the process's tally to write a few seconds later.
Recording never fails a page: whatever goes wrong is logged and counted.
"""

from __future__ import annotations

import logging

from flask import request

from library.permissions import is_person
from library.usage.counting import Event, Kind
from library.usage.recording import session_key
from runtime.counted import counted
from webapp.auth import client_address, current_actor
from webapp.current_runtime import current_runtime

log = logging.getLogger(__name__)


def record_usage(publication_id: int, kind: Kind, page: int = 0) -> None:
    """Record one usage event of a publication for the COUNTER figures, unless a robot or staff made it."""
    try:
        outcome = _record(publication_id, kind, page)
    except Exception:  # a statistic is never worth a failed page
        log.exception("Recording the usage of publication %s failed.", publication_id)
        outcome = "failed"
    counted().usage.labels(outcome).inc()


def _record(publication_id: int, kind: Kind, page: int) -> str:
    """Keep the event and return its outcome: kept, robot or staff."""
    rt = current_runtime()
    agent = request.headers.get("User-Agent", "")[:1000]
    if rt.robots.is_robot(agent):
        return "robot"
    actor = current_actor()
    if is_person(actor) and actor.is_staff():
        return "staff"
    now = rt.now()
    user_id = actor.id if is_person(actor) else None
    key = session_key(rt.secret_key, rt.today(), user_id, client_address(), agent)
    rt.usage_tally.add(Event(now, publication_id, kind, key, page))
    return "kept"

"""/healthz: the process answers; /readyz: every part this instance needs is ready (`readiness`)."""

from __future__ import annotations

from library.errors import PustakaError
from runtime.readiness import readiness
from webapp.current_runtime import current_runtime
from webapp.health.blueprint import bp


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Answer 200 while this process serves requests (liveness: no other part is asked)."""
    try:
        instance = current_runtime().instance_id
    except (PustakaError, OSError):
        instance = ""  # no delivery key to name it by: `pustaka check` says what is wrong
    return {"status": "ok", "instance": instance}, 200


RETRY_AFTER = "30"  # seconds: a probe asks again then (a load balancer's usual interval)


@bp.get("/readyz")
def readyz() -> tuple[dict, int, dict[str, str]]:
    """Answer 200 when the database, Redis, the workers, the queue and the disk are ready, else 503."""
    ready = readiness(current_runtime())
    return ready.as_json(), 200 if ready.ok else 503, {} if ready.ok else {"Retry-After": RETRY_AFTER}

"""The service right now (`/laporan/sekarang`), for the office head and administrators.

Today's walk-in waits against their targets as they happen, the copies, consultations and
complaints against their clocks, and the job lanes' health: the same figures as /metrics and
the alerts (`library.operations.now`, `runtime.readiness`). The page reloads itself every
REFRESH_SECONDS. An office head sees their own office's queues and the system's state in plain
words; an administrator sees every office's queues and the lanes and checks by name.
"""

from __future__ import annotations

from flask import render_template

from library.messaging.figures import phone_figures, push_figures
from library.models import Role
from library.operations.alerts import office_conditions
from library.operations.now import office_now
from runtime.alerting import system_conditions
from runtime.readiness import readiness
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.operations.blueprint import bp

REFRESH_SECONDS = 30


@bp.get("/")
@role_required(Role.OFFICE_HEAD)
def now() -> str:
    """Show the service as it stands now."""
    rt = current_runtime()
    ready = readiness(rt)
    actor = current_actor()
    admin = actor is not None and Role.ADMIN in actor.roles
    with rt.uow() as uow:
        office = office_now(uow, rt.now(), rt.calendar(), None if admin else rt.settings.office)
        phones = phone_figures(uow, rt.now()) if rt.settings.phone_channel else None
        pushes = push_figures(uow, rt.now()) if rt.settings.web_push else None
    return render_template(
        "operations/now.html",
        office=office,
        phones=phones,
        pushes=pushes,
        ready=ready,
        admin=admin,
        alerts=office_conditions(office),
        system_alerts=system_conditions(ready),
        office_names=_office_names(),
        refresh=REFRESH_SECONDS,
        zone=rt.timezone(),
    )


def _office_names() -> dict[str, dict[str, str]]:
    from library.catalogue import offices

    with current_runtime().uow() as uow:
        return offices.office_names(uow)

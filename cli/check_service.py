"""`pustaka check`'s lines about the running service: disk, workers, queue, alerts, metrics."""

from __future__ import annotations

from urllib.parse import urlsplit

from cli.check_identifiers import check_identifiers
from library.accounts.users import staff_addresses
from library.errors import PustakaError
from library.messaging.figures import phone_figures, push_figures
from runtime.counted import metrics_folder
from runtime.readiness import readiness


def service_checks(rt, check_type, check_folder) -> list:
    """Return the lines for what /readyz, the alerts and /metrics need (`check_type`: the Check class)."""
    ready = readiness(rt)
    parts = {part.name: part for part in ready.parts}
    lines = [
        check_type(
            "disk space",
            parts["disk"].ok,
            parts["disk"].detail,
            "Free space on the file store's volume, or lower PUSTAKA_READY_MIN_FREE_MB.",
        ),
        check_type(
            "file store writes",
            parts["files"].ok,
            parts["files"].detail,
            "Remount the volume read-write, or give the service user the file store back "
            "(chown -R pustaka: <file store>); /readyz answers 503 till then.",
        ),
    ]
    if "workers" in parts:
        lines.append(
            check_type(
                "job workers",
                parts["workers"].ok,
                parts["workers"].detail,
                "Start 'pustaka serve' (its job process) or 'pustaka worker'; /readyz answers 503 till then.",
                required=False,
            )
        )
        lines.append(
            check_type(
                "job queue",
                parts["queue"].ok,
                parts["queue"].detail,
                "See the workers' log; a queue waiting past PUSTAKA_READY_QUEUE_MINUTES is stuck.",
                required=False,
            )
        )
    lines.append(_alerts(rt, check_type))
    if rt.settings.phone_channel:
        lines.append(_phones(rt, check_type))
    if rt.settings.web_push:
        lines.append(_web_push(rt, check_type))
    lines.append(check_folder("metrics folder", metrics_folder(rt.settings)))
    lines.append(check_identifiers(rt))
    return lines


def _alerts(rt, check_type):
    if rt.settings.alert_every_minutes <= 0:
        return check_type("alert emails", True, "switched off (PUSTAKA_ALERT_EVERY_MINUTES=0)")
    try:
        with rt.uow() as uow:
            addresses = staff_addresses(uow, ())
    except Exception as error:  # noqa: BLE001 - the database line above says why
        return check_type(
            "alert emails", False, f"cannot be read ({type(error).__name__})", "", required=False
        )
    if not addresses:
        return check_type(
            "alert emails",
            False,
            "no active administrator to send them to",
            "Give someone the admin role: 'pustaka users create --role admin ...'.",
            required=False,
        )
    return check_type(
        "alert emails", True, f"to {len(addresses)} administrator(s), at most once an hour each"
    )


def _phones(rt, check_type):
    """Name the phone channel in use and how its messages went in the last 24 hours."""
    s = rt.settings
    where = (
        f"WhatsApp Cloud API, number id {s.whatsapp_phone_number_id}"
        if s.phone_channel == "whatsapp"
        else f"the HTTP gateway {urlsplit(s.phone_gateway_url).netloc}"
    )
    with rt.uow() as uow:
        figures = phone_figures(uow, rt.now())
    detail = f"{where}; last 24 hours: {figures.sent} sent, {figures.failed} failed, {figures.held} held"
    return check_type(
        "phone messages",
        figures.failed == 0,
        detail,
        "The log's 'Phone message ... not sent' lines give the gateway's answer: check the URL, the token "
        "(or, for WhatsApp, the templates' names and approval).",
        required=False,
    )


def _web_push(rt, check_type):
    """Check the office's Web Push key and name how its messages went in the last 24 hours."""
    try:
        key = rt.web_push_public_key()
    except PustakaError as error:
        return check_type(
            "web push", False, error.message % error.params if error.params else error.message,
            "Delete secrets/web_push_key so a new one is made (browsers then subscribe again).",
        )  # fmt: skip
    with rt.uow() as uow:
        figures = push_figures(uow, rt.now())
    detail = (
        f"key {key[:12]}..., to {rt.settings.web_push_hosts}; "
        f"last 24 hours: {figures.sent} sent, {figures.failed} failed"
    )
    return check_type(
        "web push",
        figures.failed == 0,
        detail,
        "The log's 'Push message ... not sent' lines give the push service's answer; a browser behind a "
        "push service missing from PUSTAKA_WEB_PUSH_HOSTS is refused.",
        required=False,
    )

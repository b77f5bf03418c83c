"""The figures /metrics reads at each scrape: readiness, the lanes, and the office right now.

The same sources as /readyz (`runtime.readiness`) and the live operations page
(`library.operations.now`): an operator's dashboard and the office head's page agree.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from library.messaging.figures import PhoneFigures, phone_figures, push_figures
from library.operations.now import OfficeNow, office_now
from runtime.readiness import Readiness, readiness

log = logging.getLogger(__name__)


class LiveFigures(Collector):
    """Read readiness and the office at each scrape (`rt`: the process's runtime)."""

    def __init__(self, rt) -> None:
        self.rt = rt

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield every live figure; the office's are left out while its database cannot be read."""
        ready = readiness(self.rt)
        yield from _readiness(ready)
        try:
            with self.rt.uow() as uow:
                now = office_now(uow, self.rt.now(), self.rt.calendar())
                phones = phone_figures(uow, self.rt.now())
                pushes = push_figures(uow, self.rt.now())
        except SQLAlchemyError as error:
            log.warning("/metrics: the office's figures cannot be read now (%s).", type(error).__name__)
            return
        yield from _walk_ins(now)
        yield from _copies(now)
        yield from _cases(now)
        yield from _messages("pustaka_phone_messages_last_day", "phones", phones)
        yield from _messages("pustaka_push_messages_last_day", "browsers (Web Push)", pushes)


def _gauge(name: str, documentation: str, labels: list[str] | None = None) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=labels)


def _readiness(ready: Readiness) -> Iterator[GaugeMetricFamily]:
    parts = _gauge("pustaka_ready", "1 when the part is ready (as /readyz), else 0.", ["part"])
    for part in ready.parts:
        parts.add_metric([part.name], 1.0 if part.ok else 0.0)
    yield parts
    depth = _gauge("pustaka_queue_depth", "Jobs waiting on the lane.", ["lane"])
    oldest = _gauge(
        "pustaka_queue_oldest_seconds", "Age of the lane's oldest waiting job (0: none).", ["lane"]
    )
    workers = _gauge("pustaka_workers_live", "Workers whose heartbeat is younger than the lease.", ["lane"])
    for lane in ready.lanes:
        depth.add_metric([lane.lane], lane.depth)
        oldest.add_metric([lane.lane], lane.oldest_seconds or 0.0)
        workers.add_metric([lane.lane], len(lane.workers))
    yield from (depth, oldest, workers)
    if ready.free_mb is not None:
        free = _gauge("pustaka_disk_free_bytes", "Free disk on the file store's volume.")
        free.add_metric([], ready.free_mb * 1024 * 1024)
        yield free
    yield from _backups(ready)


def _backups(ready: Readiness) -> Iterator[GaugeMetricFamily]:
    status = ready.backup
    if status is None:
        return
    if status.last_good_at is not None:
        last = _gauge("pustaka_backup_last_success_timestamp_seconds", "When the last good backup finished.")
        last.add_metric([], status.last_good_at.timestamp())
        yield last
    if status.last_run_ok is not None:
        ok = _gauge(
            "pustaka_backup_last_run_ok",
            "1 when the last backup run (and its copy off the machine) succeeded.",
        )
        ok.add_metric([], 1.0 if status.last_run_ok else 0.0)
        yield ok


def _walk_ins(now: OfficeNow) -> Iterator[GaugeMetricFamily]:
    labels = ["office", "service"]
    families = {
        "waiting": _gauge("pustaka_walkin_waiting", "Walk-in visitors waiting now (not yet served).", labels),
        "past": _gauge("pustaka_walkin_past_target", "Walk-in visitors waiting past the target now.", labels),
        "longest": _gauge(
            "pustaka_walkin_longest_wait_seconds", "The longest walk-in clock running now (0: none).", labels
        ),
        "target": _gauge("pustaka_walkin_target_seconds", "The queue's published walk-in target.", labels),
        "served": _gauge("pustaka_walkin_served_today", "Walk-in services started today.", labels),
        "late": _gauge(
            "pustaka_walkin_served_late_today", "Walk-in services started past the target today.", labels
        ),
    }
    for queue in now.queues:
        key = [queue.office_code, queue.service_code]
        families["waiting"].add_metric(key, len(queue.waiting))
        families["past"].add_metric(key, queue.past_target)
        families["longest"].add_metric(key, queue.longest_wait_seconds or 0.0)
        if queue.target_minutes:
            families["target"].add_metric(key, queue.target_minutes * 60)
        families["served"].add_metric(key, queue.served)
        families["late"].add_metric(key, queue.served_late)
    yield from families.values()


def _copies(now: OfficeNow) -> Iterator[GaugeMetricFamily]:
    copies = now.copies
    for name, documentation, value in (
        ("pustaka_copies_waiting", "Copies approved or scanned, not ready yet.", copies.waiting),
        ("pustaka_copies_oldest_waiting_seconds", "How long the oldest copy not ready has waited (0: none).",
         copies.oldest_waiting_seconds or 0.0),
        ("pustaka_copies_failed_last_hour", "Copies that failed in the last hour.", copies.failed_last_hour),
        ("pustaka_copies_ready_today", "Copies made ready today.", copies.ready_today),
        ("pustaka_copies_ready_median_seconds_today", "Median time to ready of today's copies (0: none).",
         copies.median_ready_seconds or 0.0),
    ):  # fmt: skip
        family = _gauge(name, documentation)
        family.add_metric([], value)
        yield family


def _cases(now: OfficeNow) -> Iterator[GaugeMetricFamily]:
    for kind, cases in (("consultations", now.consultations), ("complaints", now.complaints)):
        for what, documentation, value in (
            ("open", f"Open {kind}.", cases.open),
            ("due_within_a_day", f"Open {kind} due within one working day.", cases.due_within_a_day),
            ("overdue", f"Open {kind} past their due time.", cases.overdue),
        ):
            family = _gauge(f"pustaka_{kind}_{what}", documentation)
            family.add_metric([], value)
            yield family


def _messages(name: str, where: str, figures: PhoneFigures) -> Iterator[GaugeMetricFamily]:
    family = _gauge(name, f"Messages to visitors' {where} in the last 24 hours, by status.", ["status"])
    for status in ("sent", "failed", "held", "queued"):
        family.add_metric([status], getattr(figures, status))
    yield family

"""Alerts: a condition the office must know of now, emailed to the administrators at most once an interval.

The conditions come from the office as it stands (`office_conditions`: walk-in visitors waiting
past their target now, copies failing) and from the processes (the web layer adds: queue stuck,
no worker, disk filling). `raise_alerts` records each one checked in `operations_alert` and
emails the administrators about a condition that holds, unless it was emailed less than the
interval ago: every process may check, one claims the email with a conditional update.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from library.accounts.users import staff_addresses
from library.clock import moment_in_both, office_zone
from library.frontoffice.queue.clocks import Level
from library.mail import Mailer, Message, bilingual
from library.models import OperationsAlert
from library.operations.now import OfficeNow
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
WALK_IN_LATE, COPIES_FAILING = "walk_in_late", "copies_failing"
QUEUE_STUCK, NO_WORKER, DISK_FILLING = "queue_stuck", "no_worker", "disk_filling"
BACKUP_STALE = "backup_stale"  # the last good backup is older than PUSTAKA_BACKUP_MAX_AGE_HOURS
BACKUP_FAILED = "backup_failed"  # raised by the backup run itself (library.moving.nightly), not each minute
FILES_REFUSED = "files_refused"
SEEN_EVERY = dt.timedelta(minutes=10)  # how stale `last_seen_at` may grow while a condition holds
EVERY_CONDITION = (
    WALK_IN_LATE, COPIES_FAILING, QUEUE_STUCK, NO_WORKER, DISK_FILLING, FILES_REFUSED, BACKUP_STALE,
)  # fmt: skip


@dataclass(frozen=True)
class Condition:
    """A condition that holds now, in the administrators' two languages."""

    key: str
    title_id: str
    title_en: str
    detail_id: str
    detail_en: str


def office_conditions(now: OfficeNow) -> list[Condition]:
    """Return the office's conditions that hold now: walk-ins past their target, copies failing."""
    found = []
    late = [(q, w) for q in now.queues for w in q.waiting if w.level is Level.RED]
    if late:
        waits = ", ".join(f"{w.code} {round((w.waited_seconds or 0) / 60)}" for _, w in late[:10])
        found.append(
            Condition(
                WALK_IN_LATE,
                f"{len(late)} pengunjung menunggu melewati target layanan",
                f"{len(late)} walk-in visitor(s) waiting past the service target",
                f"Menunggu sekarang (tiket, menit): {waits}.",
                f"Waiting now (ticket, minutes): {waits}.",
            )
        )
    failed = now.copies.failed_last_hour
    if failed:
        found.append(
            Condition(
                COPIES_FAILING,
                f"{failed} salinan gagal dibuat dalam satu jam terakhir",
                f"{failed} copies failed in the last hour",
                "Lihat permintaan yang gagal di meja pustakawan; pustaka worker mencatat sebabnya.",
                "See the failed requests on the librarians' desk; the workers' log says why.",
            )
        )
    return found


def raise_alerts(
    uow: UnitOfWork,
    mailer: Mailer,
    holding: Sequence[Condition],
    checked: Iterable[str],
    now: dt.datetime,
    every: dt.timedelta,
    page: str,
    timezone: str,
) -> list[str]:
    """Record the checked conditions and email those holding and not emailed within `every`; return them.

    The emails leave when the caller commits.
    """
    holds = {condition.key: condition for condition in holding}
    for key in checked:
        _record(uow, key, holds.get(key), now)
    uow.session.flush()
    sent = []
    addresses = staff_addresses(uow, ())  # the administrators
    for condition in holding:
        if not addresses or not _claim(uow, condition.key, now, every):
            continue
        first_seen = uow.session.get_one(OperationsAlert, condition.key).first_seen_at
        for address in addresses:
            mailer.send_after_commit(uow, _message(address, condition, first_seen, page, timezone))
        sent.append(condition.key)
    if holding and not addresses:
        log.warning("Alerts hold (%s) but no active administrator has an address.", ", ".join(holds))
    return sent


def _record(uow: UnitOfWork, key: str, condition: Condition | None, now: dt.datetime) -> None:
    """Keep a checked condition's row: since when it holds, or that it no longer does."""
    row = uow.session.get(OperationsAlert, key)
    if condition is None:
        if row is not None and row.active:
            row.active = False
        return
    detail = f"{condition.title_en}. {condition.detail_en}"
    if row is None:
        try:
            with uow.session.begin_nested():
                uow.session.add(OperationsAlert(key=key, first_seen_at=now, last_seen_at=now, detail=detail))
        except IntegrityError:  # another process recorded it at the same moment
            pass
        return
    if not row.active:
        row.active, row.first_seen_at = True, now
    # Every serving process checks every minute: the row is written when its headline changes (how
    # many, which condition), or every SEEN_EVERY while it holds, not once a minute per process.
    if not row.detail.startswith(f"{condition.title_en}.") or row.last_seen_at <= now - SEEN_EVERY:
        row.last_seen_at, row.detail = now, detail


def _claim(uow: UnitOfWork, key: str, now: dt.datetime, every: dt.timedelta) -> bool:
    """Take the right to email about a condition now (one process wins per interval)."""
    claimed = uow.session.execute(
        update(OperationsAlert)
        .where(
            OperationsAlert.key == key,
            or_(OperationsAlert.last_sent_at.is_(None), OperationsAlert.last_sent_at <= now - every),
        )
        .values(last_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def _message(to: str, condition: Condition, since: dt.datetime, page: str, timezone: str) -> Message:
    when = moment_in_both(since, office_zone(timezone))
    return bilingual(
        to,
        f"Peringatan Pustaka: {condition.title_id}",
        f"Pustaka alert: {condition.title_en}",
        f"""
{condition.title_id} (sejak {when.indonesian}).

{condition.detail_id}

Keadaan layanan saat ini: {page}
Email ini dikirim paling banyak sekali per PUSTAKA_ALERT_EVERY_MINUTES selama keadaan ini berlangsung.
""",
        f"""
{condition.title_en} (since {when.english}).

{condition.detail_en}

The service right now: {page}
This email is sent at most once per PUSTAKA_ALERT_EVERY_MINUTES while the condition lasts.
""",
    )

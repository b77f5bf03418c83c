"""The alerts' check: the office's conditions and the processes' (queue stuck, no worker, disk filling).

Every web process and every process consuming a lane checks once a minute (`AlertWatch`), so
an alert about the workers goes out while no worker runs; `library.operations.alerts` makes sure
one email per condition per PUSTAKA_ALERT_EVERY_MINUTES leaves. Mail is sent at once, not
queued: the queue may be what is stuck.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from sqlalchemy.exc import SQLAlchemyError

from library.operations.alerts import (
    BACKUP_STALE,
    DISK_FILLING,
    EVERY_CONDITION,
    FILES_REFUSED,
    NO_WORKER,
    QUEUE_STUCK,
    Condition,
    office_conditions,
    raise_alerts,
)
from library.operations.now import office_now
from runtime.readiness import Readiness, readiness

log = logging.getLogger(__name__)
CHECK_SECONDS = 60.0
LIVE_PAGE = "/laporan/sekarang"


def check_alerts(rt) -> list[str]:
    """Check every condition now and email the administrators what holds; return the keys emailed."""
    minutes = rt.settings.alert_every_minutes
    if minutes <= 0:
        return []
    ready = readiness(rt)
    now = rt.now()
    with rt.transaction() as uow:
        holding = [*office_conditions(office_now(uow, now, rt.calendar())), *system_conditions(ready)]
        sent = raise_alerts(
            uow,
            rt.mailer,
            holding,
            EVERY_CONDITION,
            now,
            dt.timedelta(minutes=minutes),
            rt.settings.base_url.rstrip("/") + LIVE_PAGE,
            rt.timezone(),
        )
    for key in sent:
        log.warning("Alert emailed to the administrators: %s.", key)
    return sent


def system_conditions(ready: Readiness) -> list[Condition]:
    """Return the processes' conditions that hold: queue stuck, no worker, disk filling."""
    failing = {part.name: part.detail for part in ready.parts if not part.ok}
    found = []
    if "queue" in failing:
        found.append(
            Condition(
                QUEUE_STUCK,
                "Antrean pekerjaan macet",
                "The job queue is stuck",
                f"Pekerjaan menunggu terlalu lama: {failing['queue']}.",
                f"Jobs wait too long: {failing['queue']}.",
            )
        )
    if "workers" in failing:
        found.append(
            Condition(
                NO_WORKER,
                "Tidak ada pekerja yang berjalan",
                "No worker is running",
                f"Salinan, pindaian dan email tidak dibuat: {failing['workers']}. Jalankan pustaka worker.",
                f"Copies, scans and emails are not made: {failing['workers']}. Start pustaka worker.",
            )
        )
    if "disk" in failing:
        found.append(
            Condition(
                DISK_FILLING,
                "Ruang disk hampir penuh",
                "The disk is filling up",
                f"Penyimpanan berkas: {failing['disk']}.",
                f"The file store: {failing['disk']}.",
            )
        )
    if "files" in failing:
        found.append(
            Condition(
                FILES_REFUSED,
                "Penyimpanan berkas menolak ditulis",
                "The file store refuses writes",
                f"Tidak ada unggahan, pindaian atau salinan yang dapat disimpan: {failing['files']}.",
                f"No upload, scan or copy can be stored: {failing['files']}.",
            )
        )
    if "backup" in failing:
        found.append(
            Condition(
                BACKUP_STALE,
                "Tidak ada cadangan baru",
                "No recent backup",
                f"Cadangan: {failing['backup']}. Lihat pustaka-backup.timer dan jurnalnya.",
                f"Backups: {failing['backup']}. See pustaka-backup.timer and its journal.",
            )
        )
    return found


class AlertWatch(threading.Thread):
    """Check the alerts every CHECK_SECONDS until stopped (a daemon thread of a serving process)."""

    def __init__(self, rt, interval: float = CHECK_SECONDS) -> None:
        super().__init__(name="alert-watch", daemon=True)
        self.rt, self.interval = rt, interval
        self.stopping = threading.Event()

    def run(self) -> None:
        """Check, then wait; a database away for a moment is tried again next time."""
        while not self.stopping.wait(self.interval):
            try:
                check_alerts(self.rt)
            except SQLAlchemyError as error:
                log.warning("Could not check the alerts this time (%s).", type(error).__name__)
            except Exception:  # noqa: BLE001 - a mail server away, say: the next round tries again
                log.exception("Could not check the alerts this time.")

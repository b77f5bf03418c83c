"""The hot-folder watcher: a thread that hands settled scanner files to the intake use case.

Its sub-folder `pindai/` holds pages scanned for walk-in visitors, named by ticket code: those
go to the scan use case instead, whose stamping job runs on the interactive lane.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from library.errors import PustakaError
from library.frontoffice.scans.folder import ScanFolderSettings, poll_scan_folder
from library.intake.hot_folder import SCANS, HotFolder, poll_hot_folder, watcher_lock
from runtime.message_catalogue import bilingual
from runtime.root import Runtime

log = logging.getLogger(__name__)


class HotFolderWatcher(threading.Thread):
    """Looks at the hot folder every few seconds, if no other watcher holds it."""

    def __init__(self, rt: Runtime, interval: float = 2.0) -> None:
        super().__init__(name="hot-folder", daemon=True)
        self.rt = rt
        self.interval = interval
        self.stopping = threading.Event()
        self.holding = threading.Event()  # set while this watcher holds the folder's lock
        settings = rt.settings
        self.folder = HotFolder(Path(settings.hot_folder), float(settings.hot_folder_settle_seconds))
        self.scans = HotFolder(self.folder.root / SCANS, float(settings.hot_folder_settle_seconds))
        self.translations = settings.instance_path / "translations"

    def describe(self, error: PustakaError) -> str:
        """Word a refusal for the reason file: Indonesian, then English."""
        return bilingual(error, self.translations)

    def poll_once(self) -> None:
        """Look at the folder once."""
        rt = self.rt
        events = poll_hot_folder(
            self.folder, rt.uow, rt.store, rt.jobs, rt.ingest_limits, self.describe, now=rt.now()
        )
        for event in events:
            log.info("Hot folder: %s %s %s", event.name, event.outcome, event.detail)
        self.scans.root.mkdir(exist_ok=True)
        settings = ScanFolderSettings(rt.settings.office, rt.ingest_limits, rt.settings.download_cap)
        scans = poll_scan_folder(self.scans, rt.uow, rt.store, rt.jobs, settings, self.describe, rt.now())
        for scan in scans:
            if scan.outcome != "waiting":
                log.info("Scans for visitors: %s %s %s", ", ".join(scan.names), scan.outcome, scan.detail)

    def run(self) -> None:
        """Watch until stopped, holding the folder's lock."""
        with watcher_lock(self.folder.root) as mine:
            if not mine:
                log.info("Another process watches the hot folder %s.", self.folder.root)
                return
            log.info("Watching the hot folder %s.", self.folder.root)
            self.holding.set()
            while not self.stopping.is_set():
                try:
                    self.poll_once()
                except Exception:  # noqa: BLE001 - the watcher must outlive one bad look
                    log.exception("The hot folder could not be read this time.")
                self.stopping.wait(self.interval)

    def stop(self) -> None:
        """Ask the watcher to stop and wait for it."""
        self.stopping.set()
        if self.is_alive():
            self.join(timeout=10)


def start_watcher(rt: Runtime) -> HotFolderWatcher | None:
    """Start watching the hot folder when one is configured."""
    if not rt.settings.hot_folder:
        return None
    watcher = HotFolderWatcher(rt)
    watcher.start()
    return watcher

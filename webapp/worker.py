"""The worker side of a process: the queue consumer and the hot-folder watcher."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from library.errors import PustakaError
from library.filestore import FileStore
from library.intake.hot_folder import HotFolder, poll_hot_folder, watcher_lock
from library.intake.submit import ingest_limits
from webapp.i18n import bilingual
from webapp.jobs import Jobs

log = logging.getLogger(__name__)


class HotFolderWatcher(threading.Thread):
    """Looks at the hot folder every few seconds, if no other watcher holds it."""

    def __init__(self, jobs: Jobs, interval: float = 2.0) -> None:
        super().__init__(name="hot-folder", daemon=True)
        self.jobs = jobs
        self.interval = interval
        self.stopping = threading.Event()
        settings = jobs.settings
        self.folder = HotFolder(Path(settings.hot_folder), float(settings.hot_folder_settle_seconds))
        self.translations = settings.instance_path / "translations"

    def describe(self, error: PustakaError) -> str:
        """Word a refusal for the reason file: Indonesian, then English."""
        return bilingual(error, self.translations)

    def poll_once(self) -> None:
        """Look at the folder once."""
        s = self.jobs.settings
        events = poll_hot_folder(
            self.folder,
            self.jobs.runtime.uow,
            FileStore(s.files_path),
            self.jobs,
            ingest_limits(s.max_upload_mb, s.ingest_max_pages),
            self.describe,
        )
        for event in events:
            log.info("Hot folder: %s %s %s", event.name, event.outcome, event.detail)

    def run(self) -> None:
        """Watch until stopped, holding the folder's lock."""
        with watcher_lock(self.folder.root) as mine:
            if not mine:
                log.info("Another process watches the hot folder %s.", self.folder.root)
                return
            log.info("Watching the hot folder %s.", self.folder.root)
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


def start_watcher(jobs: Jobs) -> HotFolderWatcher | None:
    """Start watching the hot folder when one is configured."""
    if not jobs.settings.hot_folder:
        return None
    watcher = HotFolderWatcher(jobs)
    watcher.start()
    return watcher

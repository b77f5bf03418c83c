"""Pages scanned for a visitor that arrive in the hot folder's `pindai/` sub-folder, named by ticket.

A scanner (or the librarian) saves the pages under a name that starts with the visitor's ticket
code: `P-007.pdf`, `P-007 halaman 3.jpg`, `p007-statistik daerah.tif`. The words after the code,
if any, are the scan's title ("Statistik Daerah" above; "Hasil pindai P-007" when there are
none). Like the ingest hot folder it takes an entry once its size and time have stopped
changing; the page images of one ticket are taken together, as one scan in name order, once
all of them have settled. A PDF, or a sub-folder of page images, is one scan by itself.
What is taken moves to `done/` (the master is in the store); a name without a ticket code, a
ticket not given today, or a file the guards refuse moves to `failed/` with a reason file in
Indonesian and English.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError
from ingest.limits import Limits
from ingest.source import IMAGE_KINDS, natural_key, sniff
from library.errors import InvalidInput, PustakaError
from library.filestore import FileStore
from library.frontoffice.scans.uploads import ScanQueue, ScanUpload, check_submit_scan
from library.i18n import N_
from library.intake.hot_folder import DONE, FAILED, HotFolder, file_away
from library.models import ScanChannel
from library.permissions import SYSTEM
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
# The ticket's letter and number at the start of a name, then anything ("P-007 halaman 3").
_TICKET_NAME = re.compile(r"\s*([A-Za-z]{1,2})[\s\-_.#]*0*(\d{1,4})(?!\d)(.*)", re.DOTALL)
# Page words at the end of the rest of a name: "halaman 3", "hal. 3", "hlm 3-4", "page 3".
_PAGE_WORDS = re.compile(r"[\s\-_.,]*(?:halaman|hal|hlm|page)[\s.]*\d+(?:\s*-\s*\d+)?\s*$", re.IGNORECASE)
NO_TICKET = N_(
    "%(name)s does not start with a ticket's code: name the file after the visitor's ticket, "
    "such as “P-007.pdf” or “P-007 halaman 1.jpg”."
)

Describe = Callable[[PustakaError], str]


@dataclass(frozen=True)
class ScanFolderEvent:
    """What one look at the scans' folder did to one entry (or one ticket's page images)."""

    names: tuple[str, ...]
    outcome: str  # "taken", "done" (taken before), "failed", "waiting"
    detail: str = ""
    scan_id: int | None = None


@dataclass(frozen=True)
class ScanFolderSettings:
    """What the poller needs besides the folder: the office, limits, the link's cap."""

    office_code: str
    limits: Limits
    download_cap: int = 3


def ticket_in_name(name: str, one_page: bool = False) -> tuple[str, str] | None:
    """Return the ticket code a file name starts with ("P-007") and the title its other words give.

    The name of `one_page` of several page images ends with its page ("halaman 3"), which is
    not part of the title.
    """
    found = _TICKET_NAME.fullmatch(Path(name).stem if "." in name else name)
    if found is None or int(found[2]) == 0:
        return None
    code = f"{found[1].upper()}-{int(found[2]):03d}"
    rest = _PAGE_WORDS.sub("", found[3]) if one_page else found[3]
    words = " ".join(rest.replace("_", " ").strip(" -._,").split())
    return code, words if len(words) >= 3 else f"Hasil pindai {code}"


def poll_scan_folder(
    hot: HotFolder,
    uow_factory: Callable[[], UnitOfWork],
    store: FileStore,
    queue: ScanQueue,
    settings: ScanFolderSettings,
    describe: Describe,
    now: dt.datetime,
) -> list[ScanFolderEvent]:
    """Look at the scans' folder once: take every settled scan in, file it away, say what happened."""
    present = list(hot.candidates())
    settled = {path.name: hot.settled(path) for path in present}
    events = []
    for group in _groups(present):
        names = tuple(p.name for p in group)
        if not all(settled[n] for n in names):
            events.append(ScanFolderEvent(names, "waiting"))
            continue
        try:
            events.append(_take(hot.root, group, uow_factory, store, queue, settings, describe, now))
        except OSError as exc:
            log.warning("Scans folder: cannot handle %s yet: %s", ", ".join(names), exc)
    hot.forget_gone(present)
    return events


def _groups(present: list[Path]) -> list[list[Path]]:
    """Split the entries into scans: one ticket's page images together, anything else alone."""
    images: dict[str, list[Path]] = {}
    groups: list[list[Path]] = []
    for path in present:
        ticket = ticket_in_name(path.name)
        if ticket is not None and path.is_file() and _is_image(path):
            images.setdefault(ticket[0], []).append(path)
        else:
            groups.append([path])
    groups.extend(sorted(pages, key=natural_key) for pages in images.values())
    return groups


def _is_image(path: Path) -> bool:
    """Tell whether a file is a page image, by its bytes."""
    try:
        return sniff(path) in IMAGE_KINDS
    except (IngestError, OSError):
        return False


def _take(
    root: Path,
    group: list[Path],
    uow_factory: Callable[[], UnitOfWork],
    store: FileStore,
    queue: ScanQueue,
    settings: ScanFolderSettings,
    describe: Describe,
    now: dt.datetime,
) -> ScanFolderEvent:
    """Submit one scan (a file, a folder, or one ticket's page images) and file its entries away."""
    names = tuple(p.name for p in group)
    ticket = ticket_in_name(group[0].name, one_page=group[0].is_file() and _is_image(group[0]))
    try:
        if ticket is None:
            raise InvalidInput(NO_TICKET, name=group[0].name)
        code, title = ticket
        upload = ScanUpload(ticket=code, title=title)
        with tempfile.TemporaryDirectory(prefix="pustaka-pindai-") as tmp:
            source = _source(group, Path(tmp))
            name = group[0].name if len(group) == 1 else f"{code} ({len(group)} halaman)"
            with uow_factory() as uow:
                taken = check_submit_scan(
                    uow,
                    store,
                    queue,
                    SYSTEM,
                    upload,
                    source,
                    office_code=settings.office_code,
                    now=now,
                    limits=settings.limits,
                    original_name=name,
                    download_cap=settings.download_cap,
                    channel=ScanChannel.HOT_FOLDER,
                )
                uow.commit()
    except PustakaError as exc:
        reason = describe(exc)
        for path in group:
            file_away(root, path, FAILED, reason)
        return ScanFolderEvent(names, "failed", str(exc))
    for path in group:
        file_away(root, path, DONE)
    return ScanFolderEvent(names, "taken" if taken.created else "done", scan_id=taken.scan_id)


def _source(group: list[Path], tmp: Path) -> Path:
    """Return what to submit: the entry itself, or a folder of the ticket's page images in order."""
    if len(group) == 1:
        return group[0]
    folder = tmp / "halaman"
    folder.mkdir()
    for number, path in enumerate(group, start=1):
        (folder / f"{number:04d}-{path.name}").symlink_to(path.resolve())
    return folder

"""Pages a scanner drops into the hot folder's `pindai/`, named by ticket, become that visitor's scan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from library.errors import PustakaError
from library.frontoffice.scans.folder import ScanFolderSettings, poll_scan_folder, ticket_in_name
from library.intake.hot_folder import SCANS, HotFolder, poll_hot_folder
from library.models import ScanChannel, Ticket, VisitorScan
from library.uow import UnitOfWork
from tests.integration.ingest import hostile_files
from tests.integration.library import scan_helpers as sh
from tests.integration.library import terminal_helpers as fo
from tests.integration.library.ingest_fixtures import RecordingQueue as IngestQueue
from tests.integration.library.pdf_helpers import tiny_pdf

SETTINGS = ScanFolderSettings(office_code=sh.METRO, limits=sh.LIMITS)
queue = sh.queue  # the scan queue that records; the store: conftest


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def describe(error: PustakaError) -> str:
    """Word a refusal as the watcher does, Indonesian (here: a marker) then English."""
    return f"[id] {error.message}\n\n{error}"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "hot" / SCANS
    path.mkdir(parents=True)
    return path


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def hot(folder: Path, clock: Clock) -> HotFolder:
    return HotFolder(folder, settle_seconds=5, clock=clock)


@pytest.fixture
def code(uow: UnitOfWork) -> str:
    """Load the offices and record today's visit of Dewi; return her library ticket's code."""
    fo.load_offices(uow)
    return sh.visit(uow)[1]


def look(hot, uow, store, queue, clock, now: dt.datetime = sh.NOW, twice: bool = True):
    """Look at the folder, and again once the settle time has passed; return the last look's events."""
    events = poll_scan_folder(hot, lambda: uow, store, queue, SETTINGS, describe, now)
    if twice:
        clock.now += 6
        events = poll_scan_folder(hot, lambda: uow, store, queue, SETTINGS, describe, now)
    return events


def scans(uow: UnitOfWork) -> list[VisitorScan]:
    with uow:
        rows = list(uow.session.scalars(select(VisitorScan).order_by(VisitorScan.id)))
        uow.session.expunge_all()
        return rows


def test_a_pdf_named_with_a_ticket_becomes_that_visitors_scan_and_moves_to_done(
    uow, hot, folder, store, queue, clock, code
) -> None:
    (folder / f"{code}.pdf").write_bytes(tiny_pdf("Statistik Daerah", 2))
    first = poll_scan_folder(hot, lambda: uow, store, queue, SETTINGS, describe, sh.NOW)
    assert [e.outcome for e in first] == ["waiting"] and queue.scans == []  # not settled yet
    clock.now += 6
    (event,) = poll_scan_folder(hot, lambda: uow, store, queue, SETTINGS, describe, sh.NOW)
    (scan,) = scans(uow)
    assert (event.outcome, event.scan_id, queue.scans) == ("taken", scan.id, [scan.id])
    assert (scan.title, scan.channel, scan.page_count, scan.created_by_id) == (
        f"Hasil pindai {code}",
        ScanChannel.HOT_FOLDER.value,
        2,
        None,
    )
    with uow:
        assert uow.session.get(Ticket, scan.ticket_id).code == code
    assert (folder / "done" / f"{code}.pdf").is_file() and not (folder / f"{code}.pdf").exists()


def test_the_words_after_the_ticket_are_the_title(uow, hot, folder, store, queue, clock, code) -> None:
    (folder / "p001_Kota Metro Dalam Angka 2019 hlm 10-12.pdf").write_bytes(tiny_pdf("KMDA", 3))
    look(hot, uow, store, queue, clock)
    assert [s.title for s in scans(uow)] == ["Kota Metro Dalam Angka 2019 hlm 10-12"]


def test_one_tickets_page_images_are_one_scan_in_page_order(
    uow, hot, folder, store, queue, clock, code
) -> None:
    for page in (10, 2, 1):
        sh.page_jpeg(folder / f"{code} halaman {page}.jpg", f"Halaman {page}")
    (event,) = look(hot, uow, store, queue, clock)
    (scan,) = scans(uow)
    assert event.outcome == "taken" and len(event.names) == 3
    assert (scan.source_kind, scan.page_count, scan.title) == ("images", 3, f"Hasil pindai {code}")
    assert [e["name"] for e in scan.source_files] == [
        f"0001-{code} halaman 1.jpg",
        f"0002-{code} halaman 2.jpg",
        f"0003-{code} halaman 10.jpg",
    ]
    assert sorted(p.name for p in (folder / "done").iterdir()) == sorted(
        f"{code} halaman {n}.jpg" for n in (1, 2, 10)
    )


def test_a_ticket_is_taken_only_once_all_its_pages_have_settled(
    uow, hot, folder, store, queue, clock, code
) -> None:
    sh.page_jpeg(folder / f"{code} halaman 1.jpg", "Halaman 1")
    poll_scan_folder(hot, lambda: uow, store, queue, SETTINGS, describe, sh.NOW)
    clock.now += 6
    sh.page_jpeg(folder / f"{code} halaman 2.jpg", "Halaman 2")  # the scanner is still going
    assert [
        e.outcome for e in poll_scan_folder(hot, lambda: uow, store, queue, SETTINGS, describe, sh.NOW)
    ] == ["waiting"]
    assert scans(uow) == []
    clock.now += 6
    (event,) = poll_scan_folder(hot, lambda: uow, store, queue, SETTINGS, describe, sh.NOW)
    assert event.outcome == "taken" and scans(uow)[0].page_count == 2


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("P-099.pdf", "No ticket P-099 was given today"),
        ("Statistik Daerah.pdf", "does not start with a ticket's code"),
        ("K-001.pdf", "No ticket K-001 was given today"),
    ],
)
def test_an_unknown_ticket_goes_to_failed_with_a_reason_in_both_languages(
    uow, hot, folder, store, queue, clock, code, name, reason
) -> None:
    (folder / name).write_bytes(tiny_pdf("Statistik Daerah", 1))
    (event,) = look(hot, uow, store, queue, clock)
    assert event.outcome == "failed" and reason in event.detail
    assert (folder / "failed" / name).is_file()
    text = (folder / "failed" / f"{name}.reason.txt").read_text(encoding="utf-8")
    assert text.startswith("[id]") and reason in text
    assert scans(uow) == [] and queue.scans == []


def test_a_ticket_of_another_day_goes_to_failed(uow, hot, folder, store, queue, clock, code) -> None:
    (folder / f"{code}.pdf").write_bytes(tiny_pdf("Statistik Daerah", 1))
    (event,) = look(hot, uow, store, queue, clock, now=sh.NOW + dt.timedelta(days=1))
    assert event.outcome == "failed" and f"No ticket {code} was given today" in event.detail


def test_a_hostile_file_with_a_ticket_goes_to_failed_and_nothing_is_stored(
    uow, hot, folder, store, queue, clock, code
) -> None:
    hostile_files.encrypted_pdf(folder).rename(folder / f"{code}.pdf")
    (event,) = look(hot, uow, store, queue, clock)
    assert event.outcome == "failed" and "protected by a password" in event.detail
    assert list(store.digests()) == [] and scans(uow) == []


def test_the_same_file_again_is_filed_as_done_without_a_second_scan(
    uow, hot, folder, store, queue, clock, code
) -> None:
    data = tiny_pdf("Statistik Daerah", 1)
    (folder / f"{code}.pdf").write_bytes(data)
    look(hot, uow, store, queue, clock)
    (folder / f"{code} lagi.pdf").write_bytes(data)
    (event,) = look(hot, uow, store, queue, clock)
    assert event.outcome == "done" and len(scans(uow)) == 1


def test_the_ingest_hot_folder_leaves_the_scans_folder_alone(uow, hot, folder, store, queue, code) -> None:
    (folder / f"{code}.pdf").write_bytes(tiny_pdf("Statistik Daerah", 1))
    ingest = HotFolder(folder.parent, settle_seconds=0)
    for _ in range(2):
        events = poll_hot_folder(ingest, lambda: uow, store, IngestQueue(), sh.LIMITS, describe, now=sh.NOW)
    assert events == [] and (folder / f"{code}.pdf").is_file()


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("P-007.pdf", ("P-007", "Hasil pindai P-007")),
        ("p007-statistik daerah.tif", ("P-007", "statistik daerah")),
        ("P 7 Kota Metro Dalam Angka hlm. 10-12.pdf", ("P-007", "Kota Metro Dalam Angka hlm. 10-12")),
        ("K12", ("K-012", "Hasil pindai K-012")),
        ("Publikasi 2019.pdf", None),
        ("P-000.pdf", None),
        ("P-12345.pdf", None),
    ],
)
def test_a_ticket_code_is_read_from_the_start_of_a_name(name, found) -> None:
    assert ticket_in_name(name) == found


def test_the_page_words_of_a_page_image_are_not_part_of_the_title() -> None:
    assert ticket_in_name("P-007 Statistik Daerah hal. 3.jpg", one_page=True) == ("P-007", "Statistik Daerah")

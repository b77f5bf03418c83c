"""A ready scan reaches the visitor (their own account, within the link's cap and time) or the librarian."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import pypdf
import pytest
from PIL import Image
from sqlalchemy import func, select

from library.errors import NotAllowed, NotFound
from library.filestore import FileStore
from library.frontoffice.scans.copies import (
    ScanDownloadsSpent,
    ScanLinkExpired,
    check_scan_download,
    run_visitor_scan,
)
from library.frontoffice.scans.read_models import librarian_copy, list_my_scans, scan_desk, scan_view
from library.frontoffice.visit_status import visit_status
from library.models import (
    Delivery,
    Role,
    ScanDownload,
    ScanStatus,
    SurveyInvitation,
    Ticket,
    TicketStatus,
    User,
    Visit,
)
from library.models.delivery import SAME_DOWNLOAD
from library.quality.survey import ticket_event
from library.uow import UnitOfWork
from tests.integration.library import scan_helpers as sh
from tests.integration.library import terminal_helpers as fo
from tests.integration.library.pdf_helpers import tiny_pdf


@pytest.fixture
def made(uow: UnitOfWork, store: FileStore, tmp_path: Path) -> dict[str, object]:
    """Scan two pages for Dewi (who has an account) and make the copy."""
    fo.load_offices(uow)
    librarian = sh.librarian(uow)
    visit_id, code, user_id = sh.visit(uow)
    path = tmp_path / "pindaian.pdf"
    path.write_bytes(tiny_pdf("Statistik Daerah", 2))
    queue = sh.RecordingQueue()
    taken = sh.submit(uow, store, queue, librarian, path, ticket=code)
    delivery_id = run_visitor_scan(sh.scan_worker(uow, store, sh.Sent()), taken.scan_id)
    with uow:
        owner = uow.session.get(User, user_id)
        uow.session.expunge(owner)
    return {"scan_id": taken.scan_id, "owner": owner, "librarian": librarian, "delivery_id": delivery_id}


def download(uow: UnitOfWork, actor, scan_id: int, now: dt.datetime = sh.NOW):
    with uow:
        grant = check_scan_download(uow, actor, scan_id, now, "203.0.113.7")
        uow.commit()
    return grant


def test_the_visitor_downloads_the_stamped_copy_counted_against_its_cap(uow, store, made) -> None:
    grant = download(uow, made["owner"], made["scan_id"])
    with uow:
        output = uow.session.scalar(select(Delivery.output_sha256))
        assert uow.session.scalar(select(ScanDownload.client_address)) == "203.0.113.7"
    assert (grant.sha256, grant.remaining, grant.filename) == (output, 2, f"pindai-{made['scan_id']}.pdf")


def test_the_link_allows_three_downloads_then_says_so(uow, made) -> None:
    for n in range(3):
        download(uow, made["owner"], made["scan_id"], sh.NOW + SAME_DOWNLOAD * n)
    download(uow, made["owner"], made["scan_id"], sh.NOW + SAME_DOWNLOAD * 2)  # the third, tried again
    with pytest.raises(ScanDownloadsSpent, match="downloaded 3 times"):
        download(uow, made["owner"], made["scan_id"], sh.NOW + SAME_DOWNLOAD * 3)
    with uow:
        assert uow.session.scalar(select(func.count(ScanDownload.id))) == 3


def test_the_link_ends_after_its_days(uow, made) -> None:
    with pytest.raises(ScanLinkExpired, match="expired"):
        download(uow, made["owner"], made["scan_id"], sh.NOW + dt.timedelta(days=7))


def test_anyone_else_finds_no_such_scan(uow, made) -> None:
    stranger = fo.person(uow, "ani@example.id")
    for actor, scan_id in (
        (stranger, made["scan_id"]),
        (made["librarian"], made["scan_id"]),
        (made["owner"], 999),
    ):
        with pytest.raises(NotFound, match="There is no scan number"):
            download(uow, actor, scan_id)
    with pytest.raises(NotAllowed):
        download(uow, None, made["scan_id"])
    with uow:
        assert uow.session.scalar(select(func.count(ScanDownload.id))) == 0


def test_the_visitors_own_list_shows_the_scan_ready(uow, made) -> None:
    stranger = fo.person(uow, "ani@example.id")
    with uow:
        (row,) = list_my_scans(uow, made["owner"])
        others = list_my_scans(uow, stranger)
    assert (row.id, row.status, row.title, row.link_state(sh.NOW)) == (
        made["scan_id"],
        ScanStatus.READY,
        "Kota Metro Dalam Angka 2019, hlm. 10-12",
        "ok",
    )
    assert others == []


def test_the_librarian_gets_the_same_stamped_copy_to_print_or_hand_over(uow, made) -> None:
    with uow:
        copy = librarian_copy(uow, made["librarian"], made["scan_id"])
        assert copy.sha256 == uow.session.scalar(select(Delivery.output_sha256))
        view = scan_view(uow, made["librarian"], made["scan_id"])
    assert (view.delivery_id, view.visitor_email, view.visitor_has_account) == (
        made["delivery_id"],
        "dewi@example.id",
        True,
    )
    assert view.offered_for_ingest and view.created_by == "Pustakawan"


def test_the_desk_lists_todays_scans_and_visits_for_librarians_only(uow, made) -> None:
    with uow:
        desk = scan_desk(uow, made["librarian"], sh.METRO, sh.NOW)
        tomorrow = scan_desk(uow, made["librarian"], sh.METRO, sh.NOW + dt.timedelta(days=1))
    assert [s.id for s in desk.scans] == [made["scan_id"]]
    assert [(v.name, v.tickets) for v in desk.visits] == [("Dewi Lestari", ("P-001",))]
    assert tomorrow.scans == () and tomorrow.visits == ()
    front = fo.person(uow, "depan@bps.go.id", [Role.FRONT_OFFICE])
    for call in (
        lambda uow: scan_desk(uow, front, sh.METRO, sh.NOW),
        lambda uow: scan_view(uow, front, made["scan_id"]),
        lambda uow: librarian_copy(uow, front, made["scan_id"]),
    ):
        with uow, pytest.raises(NotAllowed, match="Only librarians"):
            call(uow)


def _ticket(uow: UnitOfWork, code: str) -> Ticket:
    with uow:
        ticket = uow.session.scalars(
            select(Ticket).where(Ticket.code == code).order_by(Ticket.id.desc())
        ).first()
        assert ticket is not None
        uow.session.expunge(ticket)
    return ticket


def test_a_scan_starts_the_visitors_library_service_and_its_copy_finishes_it(
    uow: UnitOfWork, store: FileStore, tmp_path: Path
) -> None:
    fo.load_offices(uow)
    librarian = sh.librarian(uow)
    _, code, _ = sh.visit(uow)
    assert _ticket(uow, code).status == TicketStatus.WAITING.value
    path = tmp_path / "pindaian.pdf"
    path.write_bytes(tiny_pdf("Statistik Daerah", 2))
    taken = sh.submit(uow, store, sh.RecordingQueue(), librarian, path, ticket=code)
    started = _ticket(uow, code)
    assert (started.status, started.served_at) == (TicketStatus.SERVING.value, sh.NOW)  # not a no-show
    mailed: list[int] = []
    worker = sh.scan_worker(uow, store, sh.Sent(), sh.NOW + dt.timedelta(minutes=3))
    run_visitor_scan(replace(worker, survey_mail=SurveyMail(mailed)), taken.scan_id)
    done = _ticket(uow, code)
    assert (done.status, done.finished_at) == (TicketStatus.DONE.value, sh.NOW + dt.timedelta(minutes=3))
    with uow:  # served only at the scanner, the visitor is invited to rate it: on the status page, by email
        invitation = uow.session.scalar(select(SurveyInvitation))
        assert invitation is not None and invitation.event_key == ticket_event(done.id)
        visit = uow.session.get_one(Visit, done.visit_id)
        status = visit_status(uow, visit.status_token, sh.NOW + dt.timedelta(minutes=4))
    assert [t.survey for t in status.tickets] == [invitation.token]
    assert mailed == [done.id]  # the visit left an address


@dataclass
class SurveyMail:
    """Records the tickets whose survey invitation would be emailed."""

    sent: list[int]

    def survey_mail(self, ticket_id: int) -> None:
        self.sent.append(ticket_id)


def test_a_scanned_page_of_any_size_is_handed_over_on_a4(
    uow: UnitOfWork, store: FileStore, tmp_path: Path
) -> None:
    fo.load_offices(uow)
    librarian = sh.librarian(uow)
    _, code, _ = sh.visit(uow)
    picture = (
        tmp_path / "halaman.png"
    )  # 1240 x 1720 pixels at 144 dpi: a 219 x 303 mm page, as a scanner made
    Image.new("L", (1240, 1720), 255).save(picture, dpi=(144, 144))
    taken = sh.submit(uow, store, sh.RecordingQueue(), librarian, picture, ticket=code)
    run_visitor_scan(sh.scan_worker(uow, store, sh.Sent()), taken.scan_id)
    with uow:
        output = uow.session.scalar(select(Delivery.output_sha256))
    [page] = pypdf.PdfReader(store.path_for(output)).pages
    box = page.mediabox
    assert abs(float(box.width) - 595.28) < 3 and abs(float(box.height) - 841.89) < 3

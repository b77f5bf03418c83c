"""A whole PST day on a fake clock: walk-ins, lockers, a terminal, a staff scan, the report.

Monday 23 November 2026 at BPS Kota Metro (WIB, UTC+7). The library promises service within
5 minutes of the guest book; consultation within 10 minutes of the previous visitor's end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from library.filestore import FileStore
from library.frontoffice.guest_book import GuestBookGuard
from library.frontoffice.identity import check_prove_by_code, check_send_visit_code, visit_code
from library.frontoffice.lockers.admin import do_add_demo_lockers
from library.frontoffice.lockers.stock import cards_held, check_depart, check_give_locker
from library.frontoffice.queue.actions import BreachReasonNeeded, call_next, finish_service, start_service
from library.frontoffice.report import service_report
from library.frontoffice.scans.copies import run_visitor_scan
from library.frontoffice.terminal.devices import check_register_terminal
from library.frontoffice.terminal.sessions import SessionEnd, check_start_session, end_session
from library.models import (
    AccessLevel,
    Delivery,
    DeliveryChannel,
    Locker,
    Role,
    TerminalSession,
    Ticket,
    User,
    Visit,
)
from library.softcopy.copies import CopyWorker, prepare_copy
from library.uow import UnitOfWork
from tests.integration.library import frontoffice_helpers as fo
from tests.integration.library import scan_helpers as scans
from tests.integration.library import softcopy_request_helpers as online
from tests.integration.library import terminal_helpers as staff_of
from tests.integration.library.pdf_helpers import tiny_pdf
from tests.integration.library.softcopy_request_helpers import Queue, submit

# The online request tests' fixtures: demo publications, the copy worker and its outbox.
pubs, worker = online.pubs, online.worker  # the outbox: conftest

DAY = dt.date(2026, 11, 23)
METRO = "1872"


def at(clock: str) -> dt.datetime:
    """Return the moment of a WIB wall-clock time ("08:05") on the day."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return dt.datetime(2026, 11, 23, hours - 7, minutes, tzinfo=dt.UTC)


def ticket(uow: UnitOfWork, code: str) -> Ticket:
    """Return today's ticket with this code."""
    found = uow.session.scalar(select(Ticket).where(Ticket.day == DAY, Ticket.code == code))
    assert found is not None, code
    return found


def locker(uow: UnitOfWork, label: str) -> int:
    """Return the id of a locker by its label."""
    found = uow.session.scalar(select(Locker.id).where(Locker.label == label))
    assert found is not None, label
    return found


@dataclass(frozen=True)
class Staff:
    """The day's staff: the front office, the library counter, the consultant, the administrator."""

    front: User
    librarian: User
    consultant: User
    admin: User


def test_a_pst_day_keeps_every_clock_and_names_each_breach(
    uow: UnitOfWork,
    engine,
    pubs: dict[AccessLevel, int],
    worker: CopyWorker,
    store: FileStore,
    tmp_path: Path,
) -> None:
    staff = open_the_office(uow)
    guard = fo.make_guard(engine)
    visits = sign_the_guest_book(uow, guard)
    session_id = keep_cards_and_start_a_terminal_session(uow, staff, visits)
    ani_id = ani_proves_her_address(uow, guard, visits["Ani Lestari"])
    ani_asks_for_a_softcopy_at_the_terminal(
        uow, ani_id, pubs[AccessLevel.OPEN], worker, visits["Ani Lestari"]
    )
    serve_budi_late_with_a_scan(uow, staff.librarian, store, tmp_path)
    consult_ani_then_citra_late(uow, staff.consultant)
    close_the_day(uow, staff.front, visits, session_id)
    each_ticket_keeps_its_clock_and_each_copy_its_visit(uow, visits)
    the_report_names_each_breach(uow)


def open_the_office(uow: UnitOfWork) -> Staff:
    """Load the offices, the demo lockers and the day's staff."""
    fo.load_offices(uow)
    with uow:
        do_add_demo_lockers(uow, METRO)
        uow.commit()
    return Staff(
        front=staff_of.person(uow, "loket@bps.go.id", (Role.FRONT_OFFICE,)),
        librarian=staff_of.person(uow, "pustakawan@bps.go.id", (Role.LIBRARIAN,)),
        consultant=staff_of.person(uow, "konsultan@bps.go.id", (Role.CONSULTANT,)),
        admin=staff_of.person(uow, "admin@bps.go.id", (Role.ADMIN,)),
    )


def sign_the_guest_book(uow: UnitOfWork, guard: GuestBookGuard) -> dict[str, int]:
    """08:00-08:02 the guest book: Ani for both services, Budi (no email) and Citra; return their visits."""

    def sign(name: str, clock: str, email: str, *services: str) -> str:
        form = fo.entry(at(clock), name=name, email=email, services=services)
        return fo.sign(uow, guard, form, now=at(clock), client=f"10.0.0.{len(name)}")

    sign("Ani Lestari", "08:00", "ani@example.id", "library", "consultation")
    sign("Budi Santoso", "08:01", "", "library")
    sign("Citra Dewi", "08:02", "citra@example.id", "consultation")
    with uow:
        codes = {v.name: [t.code for t in v.tickets] for v in uow.session.scalars(select(Visit))}
        assert codes == {
            "Ani Lestari": ["P-001", "K-001"],
            "Budi Santoso": ["P-002"],
            "Citra Dewi": ["K-002"],
        }
        return {v.name: v.id for v in uow.session.scalars(select(Visit))}


def keep_cards_and_start_a_terminal_session(uow: UnitOfWork, staff: Staff, visits: dict[str, int]) -> int:
    """08:03 ID cards for lockers; 08:04 Ani's terminal session, started with her ticket's QR."""
    with uow:
        # Only the last four digits of a card are kept.
        front = staff.front
        check_give_locker(uow, front, visits["Ani Lestari"], locker(uow, "A-01"), "ktp", "1234", at("08:03"))
        check_give_locker(uow, front, visits["Budi Santoso"], locker(uow, "A-02"), "sim", "9876", at("08:03"))
        uow.commit()

        # Served within 5 minutes of the guest book.
        terminal, _token = check_register_terminal(
            uow, staff.admin, "Terminal 1", at("07:30"), office_code=METRO
        )
        ani_visit = uow.session.get_one(Visit, visits["Ani Lestari"])
        session = check_start_session(uow, terminal, f"/kunjungan/{ani_visit.status_token}", at("08:04"))
        uow.commit()
        return session.id


def ani_proves_her_address(uow: UnitOfWork, guard: GuestBookGuard, visit_id: int) -> int:
    """Ani proves her address with the code sent to it: her account is made then; return its id."""
    sent: list[int] = []
    code_mail = type("CodeMail", (), {"visit_code_mail": lambda _self, visit_id: sent.append(visit_id)})()
    with uow:
        ani_visit = uow.session.get_one(Visit, visit_id)
        check_send_visit_code(uow, code_mail, guard.throttle, ani_visit, now=at("08:04"))
        uow.commit()
    with uow:
        ani_visit = uow.session.get_one(Visit, visit_id)
        code = visit_code(guard.secret, ani_visit)
        check_prove_by_code(uow, guard.secret, guard.throttle, ani_visit, code, now=at("08:05"))
        uow.commit()
        assert sent == [ani_visit.id]
    with uow:
        ani = uow.session.scalar(select(User).where(User.email == "ani@example.id"))
        assert ani is not None
        return ani.id


def ani_asks_for_a_softcopy_at_the_terminal(
    uow: UnitOfWork, ani_id: int, publication_id: int, worker: CopyWorker, visit_id: int
) -> None:
    """At the terminal Ani asks for a softcopy: it is made for her visit, as an online one is."""
    with uow:
        ani = uow.session.get(User, ani_id)
        uow.session.expunge(ani)
    queue = Queue()
    submit(uow, ani, publication_id, queue, now=at("08:10"), visit_id=visit_id)
    assert prepare_copy(worker, queue.delivered[0]) is not None


def serve_budi_late_with_a_scan(uow: UnitOfWork, librarian: User, store: FileStore, tmp_path: Path) -> None:
    """08:05 the library counter calls Budi but starts him late (the reason is asked for), scans for him."""
    with uow:
        budi = call_next(uow, librarian, METRO, "library", "Meja 1", at("08:05"))
        assert budi.code == "P-002"
        with pytest.raises(BreachReasonNeeded):
            start_service(uow, librarian, budi.id, at("08:08"))
        start_service(uow, librarian, budi.id, at("08:08"), "Pemindai sedang dipakai")
        uow.commit()
        budi_id = budi.id

    # 08:12 the librarian scans printed pages for Budi (no email): stamped for him on the
    # interactive lane, recorded in the ledger as a scan for his visit, handed over printed.
    pages = tmp_path / "pindaian.pdf"
    pages.write_bytes(tiny_pdf("Kota Metro Dalam Angka 2019", 3))
    scan_queue = scans.RecordingQueue()
    taken = scans.submit(uow, store, scan_queue, librarian, pages, at("08:12"), ticket="P-002")
    assert scan_queue.scans == [taken.scan_id]
    assert run_visitor_scan(scans.scan_worker(uow, store, scans.Sent(), at("08:13")), taken.scan_id)
    with uow:
        finish_service(uow, librarian, budi_id, at("08:20"))
        uow.commit()


def consult_ani_then_citra_late(uow: UnitOfWork, consultant: User) -> None:
    """Ani first (within 10 minutes of her ticket), Citra 15 minutes after Ani ended (a reason given)."""
    with uow:
        first = call_next(uow, consultant, METRO, "consultation", "Meja 2", at("08:05"))
        start_service(uow, consultant, first.id, at("08:06"))
        finish_service(uow, consultant, first.id, at("08:30"))
        second = call_next(uow, consultant, METRO, "consultation", "Meja 2", at("08:44"))
        assert second.code == "K-002"
        with pytest.raises(BreachReasonNeeded):
            start_service(uow, consultant, second.id, at("08:45"))
        start_service(uow, consultant, second.id, at("08:45"), "Konsultan dipanggil rapat")
        finish_service(uow, consultant, second.id, at("09:00"))
        uow.commit()


def close_the_day(uow: UnitOfWork, front: User, visits: dict[str, int], session_id: int) -> None:
    """Ani's terminal session ends; two cards are held until the visitors leave, none at closing time."""
    with uow:
        end_session(uow.session.get_one(TerminalSession, session_id), at("08:25"), SessionEnd.DONE)
        assert [c.card_last4 for c in cards_held(uow, front, METRO, at("08:30"))] == ["1234", "9876"]
        check_depart(uow, front, visits["Budi Santoso"], at("08:30"))
        check_depart(uow, front, visits["Ani Lestari"], at("09:05"))
        uow.commit()
        assert cards_held(uow, front, METRO, at("16:00")) == []


def each_ticket_keeps_its_clock_and_each_copy_its_visit(uow: UnitOfWork, visits: dict[str, int]) -> None:
    """The clocks as stored on each ticket; each stamp says how the name was checked."""
    with uow:
        p1, p2, k1, k2 = (ticket(uow, code) for code in ("P-001", "P-002", "K-001", "K-002"))
        assert (p1.clock_started_at, p1.target_at, p1.served_at) == (at("08:00"), at("08:05"), at("08:04"))
        assert (p2.target_at, p2.breached, p2.breach_reason) == (at("08:06"), True, "Pemindai sedang dipakai")
        assert (k1.clock_started_at, k1.target_at, k1.breached) == (at("08:00"), at("08:10"), False)
        assert (k2.clock_started_at, k2.target_at, k2.breached) == (at("08:30"), at("08:40"), True)
        delivered = {(d.channel, d.visit_id, d.recipient_name) for d in uow.session.scalars(select(Delivery))}
        assert delivered == {
            # Ani's code by email, Budi's not at all.
            (DeliveryChannel.TERMINAL.value, visits["Ani Lestari"], "Ani Lestari (diperiksa: kode email)"),
            (
                DeliveryChannel.SCAN.value,
                visits["Budi Santoso"],
                "Budi Santoso (identitas dinyatakan, belum diperiksa)",
            ),
        }


def the_report_names_each_breach(uow: UnitOfWork) -> None:
    """The day's report: visits, service within target, softcopies, and each breach with its reason."""
    with uow:
        report = service_report(uow, METRO, DAY, DAY)
    library, consultation = report.services
    assert (library.visits, library.served, library.within_target, library.softcopies) == (2, 2, 1, 2)
    assert [(b.code, b.waited_minutes, b.reason) for b in library.breaches] == [
        ("P-002", 7.0, "Pemindai sedang dipakai")
    ]
    assert (consultation.visits, consultation.served, consultation.within_target) == (2, 2, 1)
    assert [(b.code, b.waited_minutes, b.reason) for b in consultation.breaches] == [
        ("K-002", 15.0, "Konsultan dipanggil rapat")
    ]
    assert (library.median_wait_minutes, consultation.median_wait_minutes) == (5.5, 10.5)

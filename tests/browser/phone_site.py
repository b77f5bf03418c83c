"""A demo site with something on every page, for the phone-width tour: people, requests, a delivery, a visit.

Names, emails and texts are long on purpose (a long name without spaces, a long address, a pasted
link), as real ones are: they are what pushes a phone's page wider than its screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from library.accounts.users import check_create_user
from library.collection.stocktakes import check_scan, check_start_stocktake
from library.consultation.appointments import AppointmentDetails, check_propose_appointment
from library.consultation.consultations import ConsultationQuestion, check_open_consultation, check_user_reply
from library.consultation.staff import check_close, check_mark_clear, check_staff_reply
from library.frontoffice.queue.actions import call_next, start_service
from library.frontoffice.queue.consultation_records import ConsultationNote, check_finish_consultation
from library.knowledge.entries import check_create_entry, check_publish, consultation_draft
from library.models import (
    AccessLevel,
    Booking,
    Collection,
    ConsultationAction,
    Delivery,
    Holding,
    IngestJob,
    Item,
    Office,
    Publication,
    QueueService,
    Role,
    User,
    Visit,
)
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.quality.complaints.records import ComplaintDetails, Upload, check_file_complaint
from library.quality.complaints.staff import check_answer, check_classify
from library.softcopy.decisions import check_refuse
from library.softcopy.request_checks import SoftcopyRequestDetails
from library.softcopy.requests import check_submit_request
from tests.browser.softcopy_helpers import make_person, publication
from tests.functional.accounts.helpers import PASSWORD, link_in, outbox, register, submit
from tests.functional.terminal_helpers import walk_in
from watermark.marks.mark import sign

READER = "kusumawardhani.sekarningrum.purbaningtyas@mahasiswa.universitaslampung.ac.id"
READER_NAME = "Raden Ayu Kusumawardhani Sekarningrum Purbaningtyas"
STAFF = "wahyuningsih.kartikasari.pustakawan@metrokota.bps.go.id"
STAFF_NAME = "Wahyuningsih Kartikasari Pratiwi"
NEWCOMER = "newcomer.belum.verifikasi@example.id"
FORGETFUL = "lupa.kata.sandi@example.id"  # never signs in: that would spoil the reset link
USE = (
    "Bahan skripsi tentang migrasi penduduk Kota Metro; rujukan: "
    "https://repository.universitaslampung.ac.id/handle/123456789/skripsi-migrasi-penduduk-kota-metro-2019"
)
QUESTION = (
    "Saya memerlukan data persentase penduduk miskin per kecamatan di Kota Metro untuk skripsi; "
    "rujukan: https://metrokota.bps.go.id/indicator/23/kemiskinan-per-kecamatan-kota-metro-2019-2024.html"
)
REFUSAL = "Tabel kecamatan memuat angka sementara yang belum dirilis; mintalah kembali sesudah 1 Desember."


@dataclass(frozen=True)
class Site:
    """What the pages of the tour are about: ids, numbers and links made for it."""

    open_id: int
    restricted_id: int
    holding: tuple[int, int]
    waiting: str
    ready: str
    refused: str
    job_id: int
    reader_id: int
    delivery_id: str
    signature: str
    copy_sha256: str
    visit_token: str
    consultation: str  # clear and complete, with messages both ways
    closed_consultation: str
    survey_token: str  # the closed consultation's SKM survey invitation
    complaint: str  # a new complaint with an attachment (its tracking code)
    answered_complaint: str  # one classified and answered
    knowledge_id: int  # a published knowledge-base entry, grown from the closed consultation
    reset_path: str
    verify_path: str
    walk_in_consultation: int = 0  # a consultation ticket served at the counter and recorded
    booking: str = ""  # the page secret of a consultation slot booked online
    barcode: str = ""  # a printed copy of the first holding
    stocktake: int = 0  # an open stock-taking of the whole collection, one copy scanned
    series: int = 0  # the demo's "Dalam Angka" series (its desk page; its public one is /koleksi/dalam-angka)
    open_identifier: str = ""  # the persistent identifier of the open publication
    withdrawn_identifier: str = ""  # a withdrawn publication's, whose address gives a tombstone


def ask(app: Flask, address: str, level: AccessLevel, pages: str = "") -> str:
    """Send the reader's request for a publication of this access level; return its number."""
    rt = app.extensions["pustaka"]
    with rt.uow() as uow:
        person = uow.session.scalar(select(User).where(User.email == address))
        form = SoftcopyRequestDetails(
            publication_id=publication(app, level)[0],
            scope="pages" if pages else "whole",
            pages=pages,
            purpose="research",
            intended_use=USE,
            agreed=True,
        )
        number = check_submit_request(uow, person, form, rt.request_rules(), rt.jobs, rt.now())
        uow.commit()
    return number


def consult(app: Flask, *, close: bool) -> tuple[str, str]:
    """Open the reader's consultation, a message each way, marked clear (or closed).

    Return its number and, once closed, the secret of its SKM survey invitation.
    """
    rt = app.extensions["pustaka"]
    form = ConsultationQuestion(
        topic="Persentase penduduk miskin per kecamatan di Kota Metro menurut kelompok umur",
        question=QUESTION,
        data_subject="Kemiskinan",
        data_region="Kota Metro, semua kecamatan (Metro Pusat, Metro Utara, Metro Barat, Metro Timur)",
        data_period="2019-2024",
    )
    with rt.uow() as uow:
        reader = uow.session.scalar(select(User).where(User.email == READER))
        staff = uow.session.scalar(select(User).where(User.email == STAFF))
        number = check_open_consultation(uow, reader, form, rt.consultation_rules(), rt.now())
        asked = ConsultationAction.ASKED
        check_staff_reply(uow, staff, number, QUESTION, rt.now(), rt.consultation_post(), action=asked)
        check_user_reply(uow, reader, number, QUESTION, rt.now())
        check_mark_clear(uow, staff, number, rt.consultation_rules(), rt.now())
        if not close:  # an appointment to answer, with a long link, on the open one
            meeting = AppointmentDetails(
                kind="video",
                day=(rt.now() + dt.timedelta(days=2)).date().isoformat(),
                time="10:00",
                place="https://meet.example.id/konsultasi-statistik-kota-metro-kemiskinan-per-kecamatan",
                note=QUESTION,
            )
            check_propose_appointment(uow, staff, number, meeting, rt.consultation_rules(), rt.now())
        token = check_close(uow, staff, number, rt.now(), rt.consultation_post()) if close else ""
        uow.commit()
    return number, token


def complain(app: Flask, *, answer: bool) -> str:
    """File a complaint from the box with long words and a picture (answered, if asked); return its code."""
    rt = app.extensions["pustaka"]
    form = ComplaintDetails(
        name=READER_NAME,
        email=READER,
        phone="+62 812 3456 7890",
        service="softcopy",
        subject="Tautan unduhan softcopy Kota Metro Dalam Angka kedaluwarsa sebelum sempat diunduh",
        body=QUESTION,
        source="box",
    )
    picture = Upload("tangkapan-layar-tautan-unduhan-yang-kedaluwarsa-kota-metro.png", b"\x89PNG\r\n\x1a\n")
    with rt.uow() as uow:
        staff = uow.session.scalar(select(User).where(User.email == STAFF))
        code = check_file_complaint(
            uow,
            staff,
            form,
            [picture],
            store=rt.store,
            office_code=rt.settings.office,
            now=rt.now(),
        )
        if answer:
            check_classify(uow, staff, code, "U3", "softcopy", rt.now())
            check_answer(uow, staff, code, REFUSAL + " " + USE, rt.now())
        uow.commit()
    return code


def consult_at_counter(app: Flask) -> int:
    """Serve one walk-in consultation and record it, then start serving another; return the first's id."""
    rt = app.extensions["pustaka"]
    with rt.uow() as uow:
        staff = uow.session.scalars(select(User).where(User.email == STAFF)).one()
        ids = []
        for name in ("Konsultan Tamu Pertama", "Konsultan Tamu Kedua"):
            walk_in(app, name, service="consultation")
            ticket = call_next(uow, staff, "1872", "consultation", "Meja Konsultasi 1", rt.now())
            start_service(uow, staff, ticket.id, rt.now())
            ids.append(ticket.id)
            uow.commit()
        note = ConsultationNote(
            "Kemiskinan per kecamatan di Kota Metro menurut jenis kelamin kepala rumah tangga 2020-2025",
            "Tabel P0, P1 dan P2 per kecamatan; https://metrokota.bps.go.id/statistics-table/kemiskinan",
            "softcopy",
        )
        check_finish_consultation(uow, staff, ids[0], rt.now(), note)
        uow.commit()
    return ids[0]


def publish_entry(app: Flask, number: str) -> int:
    """Make a knowledge-base entry of the closed consultation, with a long pasted link, and publish it."""
    rt = app.extensions["pustaka"]
    with rt.uow() as uow:
        staff = uow.session.scalar(select(User).where(User.email == STAFF))
        draft = consultation_draft(uow, staff, number)
        entry_id = check_create_entry(uow, staff, draft, rt.now(), number)
        check_publish(uow, staff, entry_id, rt.now(), rt.jobs.index_answer, publish=True)
        uow.commit()
    return entry_id


def make_unverified(app: Flask, address: str, name: str) -> None:
    """Create an account whose email is not verified yet (its pages show the banner)."""
    with app.extensions["pustaka"].uow() as uow:
        check_create_user(
            uow, SYSTEM, email=address, name=name, roles=(Role.READER,), password=PASSWORD, now=utcnow()
        )
        uow.commit()


def refuse(app: Flask, number: str) -> None:
    """Refuse a request as the staff member, with a reason."""
    rt = app.extensions["pustaka"]
    with rt.uow() as uow:
        staff = uow.session.scalar(select(User).where(User.email == STAFF))
        check_refuse(uow, staff, number, REFUSAL, rt.mailer, lambda n: f"/permintaan/{n}", rt.now())
        uow.commit()


def verification_link(app: Flask) -> str:
    """Register a person through the form; return the verification link they were sent."""
    address = f"pendaftar.{NEWCOMER}"
    assert register(app.test_client(), email=address, name="Pendaftar").status_code == 303
    return link_in([m for m in outbox(app) if m["To"] == address][-1], "/verifikasi-email/")


def reset_link(app: Flask, address: str) -> str:
    """Ask for a new password for the address; return the link the email holds."""
    assert submit(app.test_client(), "/lupa-sandi", {"email": address}).status_code == 303
    return link_in([m for m in outbox(app) if m["To"] == address][-1], "/atur-ulang-sandi/")


def build_site(app: Flask) -> Site:
    """Fill the served demo instance with what the tour shows."""
    make_person(app, READER, READER_NAME)
    make_person(app, STAFF, STAFF_NAME, (Role.ADMIN, Role.LIBRARIAN, Role.FRONT_OFFICE, Role.CONSULTANT))
    make_unverified(app, NEWCOMER, "Pendaftar Baru")
    make_person(app, FORGETFUL, "Pelupa")
    waiting = ask(app, READER, AccessLevel.RESTRICTED, pages="2-5")
    ready = ask(app, READER, AccessLevel.OPEN)  # its copy is made at once: a delivery in the ledger
    refused = ask(app, READER, AccessLevel.EMBARGOED)
    refuse(app, refused)
    consultation, _ = consult(app, close=False)
    closed_consultation, survey_token = consult(app, close=True)
    rt = app.extensions["pustaka"]
    with rt.uow() as uow:
        reader_id = uow.session.scalars(select(User.id).where(User.email == READER)).one()
    walk_in(app, READER_NAME, user_id=reader_id, email=READER)
    walk_in_consultation = consult_at_counter(app)
    walk_in(app, "Pengunjung Konsultasi Dengan Nama Panjang Sekali", service="consultation")
    with rt.uow() as uow:
        delivery = uow.session.execute(
            select(Delivery.delivery_id, Delivery.output_sha256).where(Delivery.request_number == ready)
        ).one()
        holding = uow.session.scalars(select(Holding).order_by(Holding.id)).first()
        assert holding is not None
        held = (holding.publication_id, holding.id)
        job_id = uow.session.scalars(select(IngestJob.id).order_by(IngestJob.id)).first()
        series = uow.session.scalars(select(Collection.id).where(Collection.slug == "dalam-angka")).one()
        visit_token = uow.session.scalars(select(Visit.status_token).where(Visit.user_id == reader_id)).one()
    assert job_id is not None and survey_token is not None
    return Site(
        open_id=publication(app, AccessLevel.OPEN)[0],
        restricted_id=publication(app, AccessLevel.RESTRICTED)[0],
        holding=held,
        waiting=waiting,
        ready=ready,
        refused=refused,
        job_id=job_id,
        reader_id=reader_id,
        delivery_id=delivery.delivery_id,
        signature=sign(delivery.delivery_id, rt.delivery_key),
        copy_sha256=delivery.output_sha256,
        visit_token=visit_token,
        consultation=consultation,
        closed_consultation=closed_consultation,
        survey_token=survey_token,
        complaint=complain(app, answer=False),
        answered_complaint=complain(app, answer=True),
        knowledge_id=publish_entry(app, closed_consultation),
        reset_path=reset_link(app, FORGETFUL),
        verify_path=verification_link(app),
        walk_in_consultation=walk_in_consultation,
        booking=book_slot(app),
        series=series,
        **take_stock(app),
        **identifiers(app, publication(app, AccessLevel.OPEN)[0], {held[0]}),
    )


def identifiers(app: Flask, open_id: int, toured: set[int]) -> dict[str, str]:
    """Withdraw a publication no other page of the tour shows; name its identifier and the open one's."""
    with app.extensions["pustaka"].transaction() as uow:
        rows = uow.session.scalars(select(Publication).order_by(Publication.id.desc())).all()
        gone = next(p for p in rows if p.id not in toured | {open_id} and p.access_level == AccessLevel.OPEN)
        gone.withdrawn_at, gone.withdrawal_reason = dt.datetime.now(dt.UTC), "Diganti edisi revisi."
        opened = next(p for p in rows if p.id == open_id)
        return {"open_identifier": opened.identifier or "", "withdrawn_identifier": gone.identifier or ""}


def take_stock(app: Flask) -> dict[str, str | int]:
    """Start a stock-taking of the whole collection as the librarian, scan one copy; name both."""
    rt = app.extensions["pustaka"]
    with rt.transaction() as uow:
        librarian = uow.session.scalars(select(User).where(User.email == STAFF)).one()
        barcode = uow.session.scalars(select(Item.barcode).order_by(Item.id)).first()
        assert barcode is not None
        number = check_start_stocktake(uow, librarian, "").id
        check_scan(uow, librarian, number, barcode)
    return {"barcode": barcode, "stocktake": number}


def book_slot(app: Flask) -> str:
    """Store a consultation slot booked for tomorrow at nine; return its page's secret."""
    rt = app.extensions["pustaka"]
    with rt.transaction() as uow:
        service = uow.session.scalars(
            select(QueueService)
            .join(Office)
            .where(Office.code == "1872", QueueService.code == "consultation")
        ).one()
        day = rt.today() + dt.timedelta(days=1)
        uow.session.add(
            Booking(
                service_id=service.id,
                day=day,
                starts=dt.time(9),
                seat=1,
                code="KLM-479",
                token="b" * 32,
                name="Rina Wulandari",
                booked_at=rt.now(),
            )
        )
    return "b" * 32

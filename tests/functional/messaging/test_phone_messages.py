"""Visitors told on their phone (called, two ahead, the survey link), askers that their consultation was
answered; only with consent, never blocking.

The office's gateway is a local server that records what it is sent (tests/phone_gateway.py),
playing the generic HTTP gateway and the WhatsApp Cloud API; the jobs run in the request.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from library.models import PhoneMessage, Role, Ticket, Visit
from library.settings import Settings
from tests.functional.accounts.helpers import make_person, page_text, sign_in, submit
from tests.functional.consultation.test_consultation_pages import number_of, open_consultation
from tests.functional.kiosk.kiosk_helpers import sign
from tests.functional.queue.test_queue import LIBRARY, choose_counter, post, staff, visitors
from tests.functional.scans import conftest as scans
from tests.functional.scans import test_scan_pages as scan_pages
from tests.integration.library.queue_helpers import at
from tests.phone_gateway import PhoneGateway
from webapp import create_app

MOBILE = "0812-3456-7890"


def _app(instance_dir: Path, **settings: object) -> Flask:
    app = create_app(Settings.from_env({}, instance_dir=instance_dir, **settings))
    app.config["TESTING"] = True
    rt = app.extensions["pustaka"]
    rt.jobs.immediate = True  # the phone jobs run in the request, after its commit
    rt.now = lambda: at(10)
    return app


@pytest.fixture
def told(instance_dir: Path, phone_gateway: PhoneGateway) -> Iterator[Flask]:
    """The app with the generic gateway as its phone channel."""
    app = _app(
        instance_dir,
        phone_channel="gateway",
        phone_gateway_url=f"{phone_gateway.url}/kirim",
        phone_gateway_token="t0k",
    )
    yield app
    app.extensions["pustaka"].close()


def _consenting(app: Flask, ticket_ids: list[int], phones: list[str]) -> None:
    """Give the tickets' visits a phone number and their consent, as the guest book does."""
    with app.extensions["pustaka"].uow() as uow:
        for ticket_id, phone in zip(ticket_ids, phones, strict=True):
            visit_id = uow.session.scalar(select(Ticket.visit_id).where(Ticket.id == ticket_id))
            uow.session.execute(
                update(Visit).where(Visit.id == visit_id).values(phone=phone, phone_consent=bool(phone))
            )
        uow.commit()


def _messages(app: Flask) -> list[PhoneMessage]:
    with app.extensions["pustaka"].uow() as uow:
        rows = list(uow.session.scalars(select(PhoneMessage).order_by(PhoneMessage.id)))
        uow.session.expunge_all()
        return rows


def test_the_called_visitor_and_the_one_two_behind_are_told_and_a_recall_tells_again(
    told: Flask,
    phone_gateway: PhoneGateway,
) -> None:
    client = told.test_client()
    ids = visitors(told, *((name, ["library"]) for name in ("Ani", "Budi", "Cici", "Dedi")), minutes=9)
    _consenting(told, ids, [MOBILE, "", "0813 1111 2222", "+62 857 0000 1111"])  # Budi did not ask
    staff(told, client, Role.LIBRARIAN)
    choose_counter(client)
    assert post(client, f"{LIBRARY}/panggil").status_code == 303

    called, two_ahead = phone_gateway.received
    assert called.path == "/kirim" and called.headers["Authorization"] == "Bearer t0k"
    assert called.body["to"] == "+6281234567890" and called.body["kind"] == "called"
    assert called.body["text"].endswith("nomor antrean P-001 dipanggil. Silakan ke Loket 1.")
    assert called.headers["Idempotency-Key"] == called.body["reference"]
    assert (
        two_ahead.body["to"] == "+6285700001111" and two_ahead.body["kind"] == "two_ahead"
    )  # Dedi: Budi, Cici
    assert "tinggal 2 pengunjung lagi sebelum nomor antrean P-004" in two_ahead.body["text"]

    assert post(client, f"{LIBRARY}/tiket/{ids[0]}/panggil-ulang").status_code == 303
    assert [r.body["kind"] for r in phone_gateway.received] == ["called", "two_ahead", "called"]  # Dedi once
    rows = _messages(told)
    assert [(r.status, r.provider_id) for r in rows] == [("sent", "gw-1"), ("sent", "gw-2"), ("sent", "gw-3")]


def test_a_refusing_or_absent_gateway_never_holds_up_the_call_and_shows_on_the_live_page(
    told: Flask,
    phone_gateway: PhoneGateway,
) -> None:
    client = told.test_client()
    ids = visitors(told, ("Ani", ["library"]), minutes=9)
    _consenting(told, ids, [MOBILE])
    phone_gateway.status = 400
    staff(told, client, Role.ADMIN, "admin@bps.go.id")
    choose_counter(client)
    assert post(client, f"{LIBRARY}/panggil").status_code == 303
    assert "P-001 dipanggil ke Loket 1" in page_text(client.get(LIBRARY))  # the call stands
    (row,) = _messages(told)
    assert row.status == "failed" and "HTTP 400" in row.error and row.attempts == 1
    live = page_text(client.get("/laporan/sekarang/"))
    assert "Pesan ke ponsel pengunjung, 24 jam terakhir" in live and "Gagal 1" in live
    metrics = told.test_client().get("/metrics").get_data(as_text=True)
    assert 'pustaka_phone_messages_last_day{status="failed"} 1.0' in metrics


def test_a_number_past_its_hours_share_is_held_not_sent(
    instance_dir: Path, phone_gateway: PhoneGateway
) -> None:
    app = _app(
        instance_dir, phone_channel="gateway", phone_gateway_url=phone_gateway.url, phone_max_per_hour=1
    )
    client = app.test_client()
    ids = visitors(app, ("Ani", ["library"]), ("Ani lagi", ["library"]), minutes=9)
    _consenting(app, ids, [MOBILE, MOBILE])  # one phone typed twice
    staff(app, client, Role.LIBRARIAN)
    choose_counter(client)
    post(client, f"{LIBRARY}/panggil")
    post(client, f"{LIBRARY}/tiket/{ids[0]}/panggil-ulang")
    assert len(phone_gateway.received) == 1
    assert [row.status for row in _messages(app)] == ["sent", "held"]
    app.extensions["pustaka"].close()


def test_whatsapp_is_sent_the_approved_template_with_its_values(
    instance_dir: Path, phone_gateway: PhoneGateway
) -> None:
    app = _app(
        instance_dir,
        phone_channel="whatsapp",
        whatsapp_api_url=f"{phone_gateway.url}/v21.0",
        whatsapp_phone_number_id="1098765",
        whatsapp_token="EAAG",
    )
    client = app.test_client()
    ids = visitors(app, ("Ani", ["library"]), minutes=9)
    _consenting(app, ids, [MOBILE])
    with app.extensions["pustaka"].uow() as uow:
        visit_id = uow.session.scalar(select(Ticket.visit_id).where(Ticket.id == ids[0]))
        uow.session.execute(update(Visit).where(Visit.id == visit_id).values(language="en"))
        uow.commit()
    staff(app, client, Role.LIBRARIAN)
    choose_counter(client)
    post(client, f"{LIBRARY}/panggil")
    (sent,) = phone_gateway.received
    assert sent.path == "/v21.0/1098765/messages" and sent.headers["Authorization"] == "Bearer EAAG"
    assert sent.body["to"] == "6281234567890" and sent.body["type"] == "template"
    assert sent.body["template"]["name"] == "pst_dipanggil"
    assert sent.body["template"]["language"] == {"code": "en"}
    parameters = sent.body["template"]["components"][0]["parameters"]
    assert [p["text"] for p in parameters] == ["P-001", "Loket 1"]
    (row,) = _messages(app)
    assert row.provider_id == "wamid.1" and json.loads(row.params)["ticket"] == "P-001"
    assert row.text.startswith("PST ") and "queue number P-001 is called" in row.text  # kept in English
    app.extensions["pustaka"].close()


def test_the_guest_book_offers_messages_only_where_the_office_sends_them_and_wants_a_mobile(
    told: Flask, app: Flask, client: FlaskClient
) -> None:
    assert "phone_consent" not in client.get("/buku-tamu").get_data(as_text=True)  # no channel: not offered
    kiosk = told.test_client()
    landline = sign(told, kiosk, phone="0711 356 789", phone_consent="y")
    assert landline.status_code == 400
    assert "Untuk menerima pesan, tulis nomor ponsel Indonesia" in page_text(landline)
    signed = sign(told, kiosk, phone="0812 3456 7890", phone_consent="y")
    assert signed.status_code == 303, page_text(signed)
    with told.extensions["pustaka"].uow() as uow:
        visit = uow.session.scalars(select(Visit).order_by(Visit.id.desc())).first()
        assert visit is not None and visit.phone_consent and visit.phone == "0812 3456 7890"


def test_a_served_visitor_is_sent_the_survey_link_once(told: Flask, phone_gateway: PhoneGateway) -> None:
    client = told.test_client()
    ids = visitors(told, ("Ani", ["library"]), minutes=9)
    _consenting(told, ids, [MOBILE])
    staff(told, client, Role.LIBRARIAN)
    choose_counter(client)
    post(client, f"{LIBRARY}/panggil")
    post(client, f"{LIBRARY}/tiket/{ids[0]}/mulai")
    post(client, f"{LIBRARY}/tiket/{ids[0]}/selesai")
    told.extensions["pustaka"].jobs.run("survey_mail", ids[0])  # as the worker, a while after the service
    told.extensions["pustaka"].jobs.run("survey_mail", ids[0])  # a retried email: the phone is told once
    kinds = [r.body["kind"] for r in phone_gateway.received]
    assert kinds == ["called", "survey"]
    survey = phone_gateway.received[1].body["text"]
    assert "Mohon nilai layanan kami: http" in survey and "/survei/" in survey


def test_a_visitor_is_told_their_scan_is_ready_with_their_visits_page(
    told: Flask, phone_gateway: PhoneGateway
) -> None:
    told.extensions["pustaka"].now = lambda: scans.NOW
    visit_id, code = scans.add_visit(told, "Dewi Lestari")
    with told.extensions["pustaka"].uow() as uow:
        uow.session.execute(
            update(Visit).where(Visit.id == visit_id).values(phone=MOBILE, phone_consent=True)
        )
        token = uow.session.scalar(select(Visit.status_token).where(Visit.id == visit_id))
        uow.commit()
    librarian = scans.signed_in(told, "pustakawan@bps.go.id", [Role.LIBRARIAN])
    assert scan_pages.send_scan(librarian, [scan_pages.PDF], ticket=code.lower()).status_code == 303
    (ready,) = phone_gateway.received
    assert ready.body["kind"] == "scan_ready" and ready.body["text"].endswith(f"/{token}")
    assert "salinan pindaian Anda siap diunduh" in ready.body["text"]


def test_an_online_consultation_s_asker_is_told_on_their_phone_when_it_is_answered(
    told: Flask, phone_gateway: PhoneGateway
) -> None:
    asker = told.test_client()
    sign_in(asker, make_person(told, "ani@example.id"))
    assert "Kabari saya lewat WhatsApp atau SMS saat dijawab" in page_text(asker.get("/konsultasi/baru"))
    wrong = open_consultation(asker, notify_phone="0711 356 789")  # a landline
    assert wrong.status_code == 400 and "Tulis nomor ponsel Indonesia" in page_text(wrong)
    number = number_of(open_consultation(asker, notify_phone="0812-3456-7890"))
    silent = number_of(open_consultation(asker, topic="Tanpa nomor"))
    consultant = told.test_client()
    sign_in(consultant, make_person(told, "budi@example.id", roles=(Role.CONSULTANT,)))
    for which in (number, silent):
        desk = f"/meja/konsultasi/{which}"
        assert submit(consultant, f"{desk}/jelas", {}, form_page=desk).status_code == 303
        answer = {"body": "Lihat tabel 3.1.", "action": "reply"}
        assert submit(consultant, f"{desk}/pesan", answer, form_page=desk).status_code == 303
    (sent,) = phone_gateway.received  # the one who gave a number, once
    assert sent.body["to"] == "+6281234567890" and sent.body["kind"] == "answered"
    assert f"konsultasi {number} Anda telah dijawab. Baca jawabannya: http" in sent.body["text"]
    assert sent.body["text"].endswith(f"/konsultasi/{number}")
    (row,) = _messages(told)
    assert row.visit_id is None and row.consultation_id is not None and row.status == "sent"


def test_the_consultation_form_does_not_ask_for_a_number_where_the_office_tells_no_phones(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    assert 'name="notify_phone"' not in client.get("/konsultasi/baru").get_data(as_text=True)

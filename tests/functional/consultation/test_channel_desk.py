"""The desk with a consultation asked by email: who asked where, the notices, what each message became."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from library.consultation.channels import Inbound, take_inbound
from library.models import ConsultationChannel, Role
from tests.functional.accounts.helpers import make_person, page_text, sign_in, submit


def mailed_in(app: Flask) -> str:
    """Have a mail to the PST mailbox taken, as the mailbox reader does; return its number."""
    rt = app.extensions["pustaka"]
    mail = Inbound(
        channel=ConsultationChannel.EMAIL,
        external_id="<tanya-1@warga.example.id>",
        sender="rina@warga.example.id",
        name="Rina Wati",
        text="Selamat siang, saya perlu data IPM Kota Metro 2020-2024 per kecamatan.",
        at=rt.now() - dt.timedelta(minutes=3),
        subject="Permintaan data IPM",
    )
    with rt.transaction() as uow:
        number = take_inbound(uow, mail, rt.consultation_rules(), rt.now(), rt.consultation_post()).number
    return number


def test_the_desk_shows_the_channel_the_asker_and_each_message_waiting_on_it(
    app: Flask, client: FlaskClient
) -> None:
    number = mailed_in(app)
    sign_in(client, make_person(app, "budi@example.id", roles=(Role.CONSULTANT,)))
    listed = page_text(client.get("/meja/konsultasi"))
    assert number in listed and "Rina Wati · Email" in listed
    page = f"/meja/konsultasi/{number}"
    text = page_text(client.get(page))
    assert "Rina Wati · rina@warga.example.id" in text and "Permintaan data IPM" in text
    assert "Pemberitahuan otomatis" in text and "Menunggu dikirim" in text  # no mailbox configured here
    assert "dalam utas email mereka" in text  # the form says where the message goes
    body = {"body": "Data IPM per kecamatan ada di tabel terlampir.", "action": "reply"}
    assert submit(client, f"{page}/pesan", body, form_page=page).status_code == 303
    shown = page_text(client.get(page))
    assert shown.count("Menunggu dikirim") == 2 and "Data IPM per kecamatan" in shown


def test_an_asker_outside_the_web_has_no_page_of_their_own(app: Flask, client: FlaskClient) -> None:
    number = mailed_in(app)
    sign_in(client, make_person(app, "rina@warga.example.id"))  # an account with the same address
    assert client.get(f"/konsultasi/{number}").status_code == 404
    assert number not in page_text(client.get("/konsultasi"))

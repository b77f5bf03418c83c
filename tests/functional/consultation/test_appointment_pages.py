"""Follow-up appointments on the web: proposed at the desk, emailed with an .ics, answered on the page."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from tests.functional.accounts.helpers import make_person, outbox, page_text, sign_in, submit
from tests.functional.consultation.test_consultation_pages import number_of, open_consultation

WIB = dt.timezone(dt.timedelta(hours=7))


def proposed(app: Flask, client: FlaskClient, **changes: str) -> tuple[str, FlaskClient]:
    """Open a consultation as Ani; Budi proposes a video meeting tomorrow at 10.00; return the number."""
    budi = make_person(app, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    sign_in(client, make_person(app, "ani@example.id", name="Ani Suryani"))
    number = number_of(open_consultation(client))
    consultant = app.test_client()
    sign_in(consultant, budi)
    desk = f"/meja/konsultasi/{number}"
    tomorrow = (dt.datetime.now(WIB) + dt.timedelta(days=1)).date().isoformat()
    form = {
        "kind": "video",
        "day": tomorrow,
        "time": "10:00",
        "minutes": "60",
        "place": "https://meet.example.id/x",
    }
    answer = submit(consultant, f"{desk}/janji", {**form, **changes}, form_page=desk)
    return number, consultant if answer.status_code == 303 else answer


def test_the_user_is_emailed_the_appointment_with_an_ics_and_accepts_it_on_the_page(
    app: Flask, client: FlaskClient
) -> None:
    number, consultant = proposed(app, client)
    mail = outbox(app)[-1]
    assert mail["To"] == "ani@example.id"
    (ics,) = mail.iter_attachments()
    assert ics.get_content_type() == "text/calendar" and b"\r\nDTSTART:" in ics.get_payload(decode=True)
    page = f"/konsultasi/{number}"
    html = client.get(page).get_data(as_text=True)
    assert "https://meet.example.id/x" in html and "Terima janji" in html
    assert "<small>Rapat video</small>" in html and "<small>video</small>" not in html  # the kind's label
    action = f"{page}/janji/1"
    assert submit(client, action, {"answer": "accept"}, form_page=page).status_code == 303
    assert "Diterima" in page_text(client.get(page))
    assert outbox(app)[-1]["To"] == "budi@example.id"
    assert "Janji temu diterima" in page_text(consultant.get(f"/meja/konsultasi/{number}"))


def test_asking_for_another_time_needs_a_message(app: Flask, client: FlaskClient) -> None:
    number, _ = proposed(app, client)
    page = f"/konsultasi/{number}"
    empty = submit(client, f"{page}/janji/1", {"answer": "another", "body": ""}, form_page=page)
    assert empty.status_code == 400 and "Tulis pesan Anda." in page_text(empty)
    sent = submit(client, f"{page}/janji/1", {"answer": "another", "body": "Sore hari saja."}, form_page=page)
    assert sent.status_code == 303
    assert "Sore hari saja." in page_text(client.get(page))


def test_a_bad_proposal_names_its_problems_on_the_desk_page(app: Flask, client: FlaskClient) -> None:
    answer = proposed(app, client, place="zoom kami", minutes="5")[1]
    assert answer.status_code == 400
    text = page_text(answer)
    assert "https://" in text and "15" in text and "240" in text

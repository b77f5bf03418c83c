"""The consultant's main send button: on a clear and complete question, the message is the answer."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Consultation, Role
from tests.functional.accounts.helpers import make_person, page_text, sign_in, submit
from tests.functional.consultation.test_consultation_pages import number_of, open_consultation


def consultant_on(app: Flask, client: FlaskClient, *, clear: bool = True) -> tuple[FlaskClient, str]:
    """Have Ani ask; return a consultant's browser and the desk page, marked clear and complete if asked."""
    sign_in(client, make_person(app, "ani@example.id"))
    number = number_of(open_consultation(client))
    consultant = app.test_client()
    sign_in(consultant, make_person(app, "budi@example.id", roles=(Role.CONSULTANT,)))
    desk = f"/meja/konsultasi/{number}"
    if clear:
        assert submit(consultant, f"{desk}/jelas", {}, form_page=desk).status_code == 303
    return consultant, desk


def stored(app: Flask, desk: str) -> Consultation:
    """Read the consultation of a desk page as stored now."""
    with app.extensions["pustaka"].uow() as uow:
        row = uow.session.scalar(select(Consultation).where(Consultation.number == desk.rsplit("/", 1)[1]))
        assert row is not None
        uow.session.expunge(row)
        return row


def send(consultant: FlaskClient, desk: str, action: str):
    """Write to the user with one of the desk's buttons."""
    return submit(consultant, f"{desk}/pesan", {"body": "Lihat tabel 3.1.", "action": action}, form_page=desk)


def test_the_main_button_on_a_clear_consultation_sends_the_answer(app: Flask, client: FlaskClient) -> None:
    consultant, desk = consultant_on(app, client)
    assert send(consultant, desk, "reply").status_code == 303
    row = stored(app, desk)
    assert row.status == "answered" and row.answered_at is not None
    text = page_text(consultant.get(desk))
    assert "Jawaban sudah dikirim kepada pengguna." in text and "Dijawab" in text


def test_the_main_button_on_a_clear_consultation_says_it_sends_the_answer(
    app: Flask, client: FlaskClient
) -> None:
    consultant, desk = consultant_on(app, client)
    html = consultant.get(desk).get_data(as_text=True)
    buttons = html[html.index('<div class="consult-buttons">') :]
    assert buttons.index('value="reply">Kirim pesan sebagai jawaban<') < buttons.index('value="note"')
    assert "pesan yang Anda kirim menjadi jawabannya" in page_text(consultant.get(desk))


def test_a_note_on_a_clear_consultation_leaves_its_clock_running(app: Flask, client: FlaskClient) -> None:
    consultant, desk = consultant_on(app, client)
    assert send(consultant, desk, "note").status_code == 303
    row = stored(app, desk)
    assert row.status == "clear" and row.answered_at is None and row.due_at is not None
    assert "Pesan Anda sudah dikirim kepada pengguna." in page_text(consultant.get(desk))


def test_the_main_button_before_the_question_is_clear_sends_a_message_only(
    app: Flask, client: FlaskClient
) -> None:
    consultant, desk = consultant_on(app, client, clear=False)
    assert 'value="reply">Kirim pesan<' in consultant.get(desk).get_data(as_text=True)
    assert send(consultant, desk, "reply").status_code == 303
    assert stored(app, desk).status == "new"


def test_the_main_button_after_the_answer_sends_a_message_only(app: Flask, client: FlaskClient) -> None:
    consultant, desk = consultant_on(app, client)
    send(consultant, desk, "reply")
    answered_at = stored(app, desk).answered_at
    html = consultant.get(desk).get_data(as_text=True)
    assert 'value="answer" class="secondary">Kirim sebagai jawaban<' in html
    assert send(consultant, desk, "reply").status_code == 303
    assert stored(app, desk).answered_at == answered_at

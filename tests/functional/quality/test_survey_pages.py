"""The SKM survey as a person meets it: invited when the copy is ready, answered once, anonymously."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from library.models import AccessLevel, SurveyAnswer, SurveyInvitation, SurveyResponse
from tests.functional.accounts.helpers import csrf_token, make_person, outbox, page_text, sign_in
from tests.functional.softcopy.helpers import ask, publication_id

SURVEY_LINK = re.compile(r"https?://[^\s]+/survei/([A-Za-z0-9_-]{20,})")
ALL_GOOD = {f"U{n}": "4" for n in range(1, 10)}


def ready_copy(app: Flask, client: FlaskClient) -> str:
    """Ask for an open publication's copy (made at once); return the request number."""
    sign_in(client, make_person(app, "ani@example.id"))
    answer = ask(client, publication_id(app, AccessLevel.OPEN))
    return answer.headers["Location"].rsplit("/", 1)[-1]


def survey_token(app: Flask, number: str) -> str:
    """Return the survey link's secret the ready email carries."""
    (mail,) = [m.get_content() for m in outbox(app) if number in m["Subject"]]
    found = SURVEY_LINK.search(mail)
    assert found, mail
    return found.group(1)


def send(client: FlaskClient, token: str, answers: dict[str, str], comment: str = ""):
    data = {"csrf_token": csrf_token(client, f"/survei/{token}"), **answers, "comment": comment}
    return client.post(f"/survei/{token}", data=data)


def test_the_ready_email_and_the_request_page_invite_the_person_to_the_survey(app, client) -> None:
    number = ready_copy(app, client)
    token = survey_token(app, number)
    page = client.get(f"/permintaan/{number}").get_data(as_text=True)
    assert f"/survei/{token}" in page and "Nilai layanan kami" in page
    survey = page_text(client.get(f"/survei/{token}"))
    assert "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?" in survey
    assert "Sangat sopan dan ramah" in survey and "Gratis" in survey and "Perpustakaan" in survey


def test_a_rating_is_stored_once_with_no_name_and_the_link_then_says_so(app, client) -> None:
    number = ready_copy(app, client)
    token = survey_token(app, number)
    answer = send(client, token, ALL_GOOD, "Cepat sekali.")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/survei/terima-kasih")
    assert "Terima kasih atas penilaian Anda" in page_text(client.get(answer.headers["Location"]))
    with app.extensions["pustaka"].uow() as uow:
        response = uow.session.scalar(select(SurveyResponse))
        assert response is not None and response.comment == "Cepat sekali."
        assert (response.service, response.channel) == ("library", "softcopy")
        assert uow.session.scalar(select(func.count()).select_from(SurveyAnswer)) == 9
    again = client.get(f"/survei/{token}")
    assert again.status_code == 200 and "Survei ini sudah diisi" in page_text(again)
    resent = send(client, token, ALL_GOOD)
    assert "Survei ini sudah diisi" in page_text(resent)
    assert "Nilai layanan kami" not in page_text(client.get(f"/permintaan/{number}"))
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_every_question_left_open_is_named_at_once_and_what_was_chosen_stays(app, client) -> None:
    token = survey_token(app, ready_copy(app, client))
    answers = {code: score for code, score in ALL_GOOD.items() if code not in ("U3", "U8")}
    answer = send(client, token, answers, "Ruang baca nyaman.")
    assert answer.status_code == 400
    text = page_text(answer)
    assert text.count("Pilih satu jawaban untuk pertanyaan ini.") >= 2
    page = answer.get_data(as_text=True)
    assert 'href="#U3"' in page and 'href="#U8"' in page
    assert re.search(r'id="U1-3"[^>]*checked|checked[^>]*id="U1-3"', page)  # the choice made stays
    assert "Ruang baca nyaman." in page
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_a_link_that_is_unknown_or_expired_says_what_happened(app, client) -> None:
    token = survey_token(app, ready_copy(app, client))
    unknown = client.get("/survei/bukan-tautan-kami")
    assert unknown.status_code == 404 and "Tautan survei ini tidak dapat dipakai" in page_text(unknown)
    with app.extensions["pustaka"].uow() as uow:
        invitation = uow.session.scalar(select(SurveyInvitation).where(SurveyInvitation.token == token))
        assert invitation is not None
        invitation.expires_at = invitation.created_at - dt.timedelta(seconds=1)
        uow.commit()
    expired = client.get(f"/survei/{token}")
    assert expired.status_code == 410 and "kedaluwarsa" in page_text(expired)


def test_the_survey_needs_no_sign_in_and_works_in_english(app, client) -> None:
    token = survey_token(app, ready_copy(app, client))
    stranger = app.test_client()
    stranger.set_cookie("lang", "en")
    page = page_text(stranger.get(f"/survei/{token}"))
    assert "How fast was the service given?" in page and "Very polite and friendly" in page

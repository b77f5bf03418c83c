"""A browser's many answers are flagged, never merged; the office head sets one aside, saying why."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Office, Role, SurveyChannel, SurveyResponse
from library.quality.survey import invite
from library.settings import Settings
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.functional.quality.test_survey_pages import ALL_GOOD, send
from webapp import create_app

TERMINAL_COOKIE = "pustaka_terminal"


def invitations(app: Flask, count: int) -> list[str]:
    """Invite `count` walk-in services of the demo office to rate; return their link secrets."""
    rt = app.extensions["pustaka"]
    with rt.uow() as uow:
        office_id = uow.session.scalar(select(Office.id).where(Office.code == rt.settings.office))
        assert office_id is not None
        tokens = [
            invite(
                uow,
                office_id=office_id,
                service="library",
                channel=SurveyChannel.VISIT,
                event_key=f"ticket:{900 + n}",
                now=rt.now(),
            )
            for n in range(count)
        ]
        uow.commit()
    return tokens


def doubts(app: Flask) -> list[tuple[bool, str]]:
    with app.extensions["pustaka"].uow() as uow:
        return list(uow.session.execute(select(SurveyResponse.counted, SurveyResponse.doubts).order_by("id")))


def test_answers_from_one_address_all_count_and_a_made_up_terminal_cookie_changes_nothing(app: Flask) -> None:
    first, second, third, other = invitations(app, 4)
    tablet = app.test_client()
    tablet.set_cookie(TERMINAL_COOKIE, "made-up-terminal-token")  # names no registered terminal
    for token in (first, second, third):
        assert send(tablet, token, ALL_GOOD).status_code == 303
    assert send(app.test_client(), other, ALL_GOOD).status_code == 303  # another phone on the same Wi-Fi
    assert doubts(app) == [(True, ""), (True, ""), (True, "one_device"), (True, "")]


def test_the_office_head_sets_a_flagged_answer_aside_with_a_reason_and_sees_it_kept(
    app: Flask, client: FlaskClient
) -> None:
    browser = app.test_client()
    for token in invitations(app, 3):
        send(browser, token, ALL_GOOD)
    sign_in(client, make_person(app, "kepala@bps.go.id", [Role.OFFICE_HEAD]))
    page = client.get("/laporan/survei")
    assert page.status_code == 200
    assert "Banyak jawaban dari satu peramban pada hari itu" in page_text(page)
    response_id = doubts_ids(app)[-1]
    token = csrf_token(client, "/laporan/survei")
    refused = client.post(
        f"/laporan/survei/{response_id}", data={"csrf_token": token, "tindakan": "sisihkan"}
    )
    assert "Sebutkan alasannya" in page_text(client.get(refused.headers["Location"]))
    done = client.post(
        f"/laporan/survei/{response_id}",
        data={"csrf_token": token, "tindakan": "sisihkan", "alasan": "Satu orang mengisi tiga kali"},
    )
    assert done.status_code == 303
    shown = page_text(client.get(done.headers["Location"]))
    assert "Disisihkan oleh petugas" in shown and "Satu orang mengisi tiga kali" in shown
    assert doubts(app)[-1] == (False, "one_device")
    report = page_text(client.get("/laporan/"))
    assert "Disisihkan oleh petugas" in report and "Sampel minimum (Krejcie-Morgan)" in report
    reader = app.test_client()
    sign_in(reader, make_person(app, "pembaca@example.id"))
    assert reader.get("/laporan/survei").status_code == 403


def doubts_ids(app: Flask) -> list[int]:
    with app.extensions["pustaka"].uow() as uow:
        return list(uow.session.scalars(select(SurveyResponse.id).order_by(SurveyResponse.id)))


def test_the_office_survey_tablet_is_rated_on_all_day_without_a_flag(instance_dir: Path) -> None:
    app = create_app(Settings.from_env({"PUSTAKA_KIOSK_ADDRESSES": "127.0.0.1"}, instance_dir=instance_dir))
    try:
        tablet = app.test_client()
        for token in invitations(app, 4):
            assert send(tablet, token, ALL_GOOD).status_code == 303
        assert doubts(app) == [(True, "")] * 4
    finally:
        app.extensions["pustaka"].close()

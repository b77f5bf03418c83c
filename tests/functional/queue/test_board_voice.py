"""The board's spoken call in the web: each call's clip addresses, and the clips served, cached and fenced."""

from __future__ import annotations

import dataclasses

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.frontoffice.voice.clips import VoiceFolders, build_clips
from library.models import Role, Ticket, Visit
from tests.functional.queue.test_queue import LIBRARY, choose_counter, post, staff, visitors
from tests.integration.library.frontoffice.voice.test_clips import tone
from tests.integration.library.queue_helpers import at

CLIPS = "/antrean/suara"


@pytest.fixture
def clock(app: Flask) -> None:
    """Run the app at 08:10 of the queue helpers' day."""
    app.extensions["pustaka"].now = lambda: at(10)


@pytest.fixture
def voiced(app: Flask) -> VoiceFolders:
    """Make the board's clips in the app's instance (a tone for each), as `pustaka voice build` does."""
    folders = VoiceFolders.of(app.extensions["pustaka"].settings)
    build_clips(folders, tone)
    return folders


def speaks_english(app: Flask, ticket_id: int) -> None:
    """Record that the visitor holding the ticket signed the guest book in English."""
    with app.extensions["pustaka"].uow() as uow:
        visit = uow.session.scalar(select(Visit).join(Ticket).where(Ticket.id == ticket_id))
        assert visit is not None
        visit.language = "en"
        uow.commit()


def call_library(app: Flask, client: FlaskClient, counter: str = "Loket 3") -> dict:
    """Call the next library visitor to the counter; return the board's latest call."""
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client, counter)
    post(client, f"{LIBRARY}/panggil")
    latest = client.get("/antrean/data.json").get_json()["latest"]
    assert latest is not None
    return latest


def test_a_call_on_the_board_comes_with_its_clips_in_order(app: Flask, client: FlaskClient, clock) -> None:
    visitors(app, ("Ani", ["library"]))
    latest = call_library(app, client)
    assert latest["code"] == "P-001"
    assert latest["clips"] == [
        f"{CLIPS}/id/{clip}" for clip in ("nomor_antrean", "P", "satu", "silakan_ke", "loket", "tiga")
    ]


def test_a_visitor_who_chose_english_is_called_in_indonesian_then_in_english(
    app: Flask, client: FlaskClient, clock
) -> None:
    (ticket_id,) = visitors(app, ("Jane", ["library"]))
    speaks_english(app, ticket_id)
    clips = call_library(app, client, "Loket 12")["clips"]
    assert clips[6:] == [
        f"{CLIPS}/en/{c}" for c in ("number", "P", "one", "please_go_to", "counter", "twelve")
    ]
    assert clips[:6] == [
        f"{CLIPS}/id/{c}" for c in ("nomor_antrean", "P", "satu", "silakan_ke", "loket", "dua_belas")
    ]


def test_the_office_may_have_numbers_read_digit_by_digit(app: Flask, client: FlaskClient, clock) -> None:
    state = app.extensions["pustaka"]
    state.settings = dataclasses.replace(state.settings, voice_numbers="digits")
    visitors(app, ("Ani", ["library"]))
    clips = call_library(app, client)["clips"]
    assert clips[1:5] == [f"{CLIPS}/id/{c}" for c in ("P", "nol", "nol", "satu")]


def test_a_clip_is_served_as_audio_that_browsers_keep_for_an_hour(
    client: FlaskClient, voiced: VoiceFolders
) -> None:
    response = client.get(f"{CLIPS}/id/dua_belas")
    assert response.status_code == 200
    assert response.mimetype == "audio/wav" and response.data[:4] == b"RIFF"
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    again = client.get(f"{CLIPS}/id/dua_belas", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_offices_own_recording_is_what_the_board_gets(client: FlaskClient, voiced: VoiceFolders) -> None:
    (voiced.own / "id" / "loket.mp3").write_bytes(b"ID3 our own loket")
    response = client.get(f"{CLIPS}/id/loket")
    assert response.mimetype == "audio/mpeg" and response.data == b"ID3 our own loket"


@pytest.mark.parametrize(
    "path",
    [
        "/id/secret",
        "/xx/satu",
        "/id/..%2Fen%2Fone",
        "/id/%2e%2e",
        "/id/satu.wav",
        "/en/dua_belas",
        "/id/synthesized.json",
    ],
)
def test_only_a_known_clip_is_ever_served(client: FlaskClient, voiced: VoiceFolders, path: str) -> None:
    assert client.get(CLIPS + path).status_code == 404


def test_a_clip_not_made_yet_is_not_found_and_logged(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    assert client.get(f"{CLIPS}/id/satu").status_code == 404
    assert "voice clip id/satu asked for and not found" in caplog.text

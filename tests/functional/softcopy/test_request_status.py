"""The request's status as its page and script see it: JSON while the copy is made, honest badges after."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import AccessLevel, SoftcopyRequest
from library.models.delivery import SAME_DOWNLOAD
from library.softcopy.copies import prepare_copy
from tests.functional.accounts.helpers import make_person, move_clock, sign_in, submit
from tests.functional.softcopy.helpers import ask, publication_id


def _number(answer) -> str:
    return answer.headers["Location"].rsplit("/", 1)[-1]


def _make_copy(app: Flask, number: str) -> None:
    """Run the copy job of a request, as the worker would."""
    rt = app.extensions["pustaka"]
    with rt.uow() as uow:
        request_id = uow.session.scalar(select(SoftcopyRequest.id).where(SoftcopyRequest.number == number))
    prepare_copy(rt.copy_worker(), request_id)


def _badges(client: FlaskClient, path: str) -> list[str]:
    """Return the texts of the status badges on a page."""
    return re.findall(
        r'<span class="status status-[a-z]+">([^<]*)</span>', client.get(path).get_data(as_text=True)
    )


def _download(client: FlaskClient, number: str) -> int:
    answer = submit(client, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    answer.get_data()
    answer.close()
    return answer.status_code


def test_the_status_json_says_the_copy_is_being_made_then_that_it_is_ready(
    app: Flask, client: FlaskClient
) -> None:
    app.extensions["pustaka"].jobs.immediate = False  # the copy waits for a worker
    sign_in(client, make_person(app, "ani@example.id"))
    number = _number(ask(client, publication_id(app, AccessLevel.OPEN)))
    before = client.get(f"/permintaan/{number}/status")
    assert before.status_code == 200 and before.headers["Cache-Control"] == "no-store"
    assert before.json == {
        "number": number,
        "status": "approved",
        "state": "approved",
        "label": "Disetujui, salinan sedang dibuat",
        "final": False,
    }
    _make_copy(app, number)
    after = client.get(f"/permintaan/{number}/status").json
    assert after["state"] == "ready" and after["label"] == "Siap diunduh" and after["final"] is True


def test_the_request_page_loads_its_updating_script_only_while_the_request_can_change(
    app: Flask, client: FlaskClient
) -> None:
    app.extensions["pustaka"].jobs.immediate = False
    sign_in(client, make_person(app, "ani@example.id"))
    number = _number(ask(client, publication_id(app, AccessLevel.OPEN)))
    waiting = client.get(f"/permintaan/{number}").get_data(as_text=True)
    assert "request-status.js" in waiting and f'data-status-url="/permintaan/{number}/status"' in waiting
    assert "<script>" not in waiting  # the script is a file: a strict CSP allows no inline script
    _make_copy(app, number)
    assert "request-status.js" not in client.get(f"/permintaan/{number}").get_data(as_text=True)


def test_the_status_of_another_persons_request_is_not_found(app: Flask) -> None:
    owner, other = app.test_client(), app.test_client()
    sign_in(owner, make_person(app, "ani@example.id"))
    sign_in(other, make_person(app, "budi@example.id"))
    number = _number(ask(owner, publication_id(app, AccessLevel.OPEN)))
    assert other.get(f"/permintaan/{number}/status").status_code == 404


def test_a_copy_whose_downloads_are_spent_is_no_longer_badged_ready(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = _number(ask(client, publication_id(app, AccessLevel.OPEN)))
    for n in range(1, 4):
        assert _download(client, number) == 200
        move_clock(app, SAME_DOWNLOAD * n)  # each a download of its own, not one tried again
    for path in (f"/permintaan/{number}", "/permintaan/"):
        assert _badges(client, path) == ["Jatah unduhan habis"]
    assert client.get(f"/permintaan/{number}/status").json["state"] == "spent"


def test_a_copy_whose_link_expired_is_badged_expired(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = _number(ask(client, publication_id(app, AccessLevel.OPEN)))
    move_clock(app, dt.timedelta(days=7, minutes=1))
    for path in (f"/permintaan/{number}", "/permintaan/"):
        assert _badges(client, path) == ["Tautan kedaluwarsa"]

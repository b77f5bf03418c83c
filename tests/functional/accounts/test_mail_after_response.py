"""Account emails leave from a job after the response: a forgotten-password form answers a stranger's
address exactly as a reader's (issue 15: the answer's timing told them apart), and no request
talks to the mail server."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select, text
from werkzeug.test import TestResponse

from library.models import User
from tests.functional.accounts.helpers import (
    MailServer,
    csrf_token,
    link_in,
    make_person,
    page_text,
    register,
    run_queued_jobs,
    run_retries,
    smtp_app,
    submit,
)

KNOWN, UNKNOWN = "rina@example.id", "sari@example.id"  # the same length: the pages differ in nothing else


def tables(app: Flask) -> dict[str, tuple[int, str]]:
    """Return every table's row count and a digest of its rows."""
    engine = app.extensions["pustaka"].engine
    found = {}
    with engine.connect() as connection:
        for name in inspect(engine).get_table_names():
            rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()
            digest = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
            found[name] = (len(rows), digest)
    return found


def writes(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> dict[str, int]:
    """Return, for each table a request wrote to, how many rows it added."""
    return {name: after[name][0] - before[name][0] for name in after if after[name] != before[name]}


def cookie_flags(response: TestResponse) -> list[str]:
    """Return each cookie a response sets, its value left out (a session cookie is signed with the time)."""
    return [c.split("=", 1)[0] + ";" + c.split(";", 1)[1] for c in response.headers.getlist("Set-Cookie")]


def ask_reset(app: Flask, client: FlaskClient, address: str) -> tuple[TestResponse, dict[str, int], int]:
    """Send the forgotten-password form; return the answer, the tables written and the jobs queued."""
    token = csrf_token(client, "/lupa-sandi")
    queue = app.extensions["pustaka"].jobs
    before, waiting = tables(app), queue.pending_count()
    response = client.post("/lupa-sandi", data={"csrf_token": token, "email": address})
    return response, writes(before, tables(app)), queue.pending_count() - waiting


def test_a_known_and_an_unknown_address_get_the_same_answer_after_the_same_work(app: Flask) -> None:
    app.extensions["pustaka"].jobs.immediate = False  # the jobs wait for a consumer, as in production
    make_person(app, KNOWN)
    known_client, unknown_client = app.test_client(), app.test_client()
    known, known_writes, known_jobs = ask_reset(app, known_client, KNOWN)
    unknown, unknown_writes, unknown_jobs = ask_reset(app, unknown_client, UNKNOWN)

    assert (known.status_code, known.headers["Location"]) == (303, "/lupa-sandi/terkirim")
    assert known.status_code == unknown.status_code and known.get_data() == unknown.get_data()
    own = ("Set-Cookie", "X-Request-ID")  # each response's own: its session and its request's id
    headers = [(k, v) for k, v in known.headers.items() if k not in own]
    assert headers == [(k, v) for k, v in unknown.headers.items() if k not in own]
    assert cookie_flags(known) == cookie_flags(unknown)
    with known_client.session_transaction() as mine, unknown_client.session_transaction() as theirs:
        assert (mine["sent_to"], theirs["sent_to"]) == (KNOWN, UNKNOWN)
        assert sorted(mine) == sorted(theirs)

    assert known_writes == unknown_writes == {"rate_limit_hit": 2}  # the client's and the address's
    assert known_jobs == unknown_jobs == 1
    shown = [c.get("/lupa-sandi/terkirim").get_data(as_text=True) for c in (known_client, unknown_client)]
    assert shown[0].replace(KNOWN, "@") == shown[1].replace(UNKNOWN, "@")


def test_the_request_makes_no_smtp_connection_and_the_job_delivers_the_link(
    make_app: Callable[..., Flask], mail_server: MailServer
) -> None:
    app = smtp_app(make_app, mail_server.port)
    make_person(app, KNOWN, name="Rina")
    client = app.test_client()
    for address in (KNOWN, UNKNOWN):
        assert submit(client, "/lupa-sandi", {"email": address}).status_code == 303
    assert mail_server.connections == 0 and mail_server.received == []  # nothing left in the requests

    assert run_queued_jobs(app) == 2
    assert mail_server.connections == 1  # the job for the stranger's address looked it up and stopped
    [mail] = mail_server.received
    assert mail["To"] == KNOWN and mail["Subject"].startswith("Atur ulang kata sandi Pustaka")
    assert "Halo Rina" in mail.get_content()  # type: ignore[attr-defined]
    form = client.get(link_in(mail, "/atur-ulang-sandi/"))
    assert form.status_code == 200 and "Untuk akun rina@example.id." in page_text(form)


def test_a_mail_server_that_is_down_is_not_shown_and_the_job_sends_once_it_is_back(
    make_app: Callable[..., Flask], unused_port: int
) -> None:
    app = smtp_app(make_app, unused_port)
    make_person(app, KNOWN)
    client = app.test_client()
    response = submit(client, "/lupa-sandi", {"email": KNOWN})
    assert (response.status_code, response.headers["Location"]) == (303, "/lupa-sandi/terkirim")
    page = page_text(client.get("/lupa-sandi/terkirim"))
    assert "Jika rina@example.id memiliki akun" in page and "belum dapat" not in page

    run_queued_jobs(app)  # the server is down: the job fails and waits to be tried again
    lanes = app.extensions["pustaka"].jobs.lanes.values()
    assert sum(huey.scheduled_count() for huey in lanes) == 1
    server = MailServer(unused_port)
    server.start()
    try:
        assert run_retries(app) == 1
    finally:
        server.stop()
    [mail] = server.received
    assert mail["To"] == KNOWN and "/atur-ulang-sandi/" in mail.get_content()  # type: ignore[attr-defined]


def test_registering_sends_the_verification_link_from_the_job_not_the_request(
    instance_dir: Path, make_app: Callable[..., Flask], mail_server: MailServer
) -> None:
    app = smtp_app(make_app, mail_server.port)
    client = app.test_client()
    assert register(client).status_code == 303
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalar(select(User.id).where(User.email == "siti@example.id")) is not None
    assert mail_server.connections == 0

    assert run_queued_jobs(app) == 1
    [mail] = mail_server.received
    assert mail["To"] == "siti@example.id" and mail["From"] == "PST BPS <pst@bps.go.id>"
    response = client.get(link_in(mail, "/verifikasi-email/"))
    assert response.status_code == 200
    assert not (instance_dir / "outbox").exists()

"""A walk-in visitor who left an email address gets the survey link by email, once, after the service.

The email leaves from a job a quarter of an hour after the service (Huey's schedule; the tests
run the scheduled jobs as if that time had passed): a visitor who rated the service on the
terminal meanwhile is not asked again.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from library.frontoffice.queue.actions import start_service
from library.models import Role, SurveyResponse, Ticket, User
from tests.functional.accounts.helpers import csrf_token, make_person, outbox, page_text, run_retries, sign_in
from tests.functional.terminal_helpers import finish, read_a_page, register_terminal, start, walk_in
from tests.integration.library.queue_helpers import at

SURVEY_LINK = re.compile(r"https?://[^\s/]+(/survei/[A-Za-z0-9_-]{20,})")
ALL_GOOD = {f"U{n}": "4" for n in range(1, 10)}
CONSOLE = "/loket/perpustakaan"
ADDRESS = "budi@example.id"


@pytest.fixture
def app(app: Flask) -> Flask:
    """Run the app at 08:10 on the queue helpers' Monday."""
    app.extensions["pustaka"].now = lambda: at(10)
    return app


@pytest.fixture
def front(app: Flask) -> FlaskClient:
    """Return a browser signed in as front-office staff."""
    client = app.test_client()
    sign_in(client, make_person(app, "loket@bps.go.id", [Role.FRONT_OFFICE]))
    return client


def served(app: Flask, email: str = ADDRESS) -> int:
    """Record a library visitor whose service has started at a counter; return the ticket's id."""
    code = walk_in(app, email=email, at=at(0))
    with app.extensions["pustaka"].uow() as uow:
        ticket = uow.session.scalar(select(Ticket).where(Ticket.code == code))
        staff = uow.session.scalar(select(User).where(User.email == "loket@bps.go.id"))
        assert ticket is not None and staff is not None
        start_service(uow, staff, ticket.id, at(5))
        uow.commit()
        return ticket.id


def press(client: FlaskClient, path: str, page: str):  # type: ignore[no-untyped-def]
    """Press a console's button: post its form with the page's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, page)})


def finish_at_counter(front: FlaskClient, ticket_id: int) -> None:
    assert press(front, f"{CONSOLE}/tiket/{ticket_id}/selesai", CONSOLE).status_code == 303


def depart(app: Flask, front: FlaskClient, ticket_id: int) -> None:
    with app.extensions["pustaka"].uow() as uow:
        visit_id = uow.session.scalars(select(Ticket.visit_id).where(Ticket.id == ticket_id)).one()
    assert press(front, f"/loket/loker/kunjungan/{visit_id}/pulang", "/loket/loker").status_code == 303


def survey_mails(app: Flask) -> list[str]:
    """Return the bodies of the survey invitations in the instance's outbox."""
    return [m.get_content() for m in outbox(app) if "Mohon nilai layanan" in m["Subject"]]


def answer(client: FlaskClient, path: str, token: str = ""):  # type: ignore[no-untyped-def]
    """Send the survey all good (with the form's token, or `token` kept from an earlier visit)."""
    data = {"csrf_token": token or csrf_token(client, path), **ALL_GOOD, "comment": ""}
    return client.post(path, data=data)


def responses(app: Flask) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(SurveyResponse)) or 0


def test_a_service_finished_at_a_counter_is_mailed_later_and_its_link_works_once(app, front, client) -> None:
    ticket = served(app)
    finish_at_counter(front, ticket)
    assert survey_mails(app) == []  # not in the response: a quarter of an hour later
    assert run_retries(app) == 1
    [mail] = survey_mails(app)
    assert mail.index("Halo Budi Santoso") < mail.index("Hello Budi Santoso")  # Indonesian first
    found = SURVEY_LINK.search(mail)
    assert found, mail
    link = found.group(1)
    survey = client.get(link)
    assert survey.status_code == 200 and "Perpustakaan" in page_text(survey)
    form_token = csrf_token(client, link)
    sent = answer(client, link, form_token)
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/survei/terima-kasih")
    assert responses(app) == 1
    again = client.get(link)
    assert again.status_code == 200 and "Survei ini sudah diisi" in page_text(again)
    assert "Survei ini sudah diisi" in page_text(answer(client, link, form_token))  # the form sent twice
    assert responses(app) == 1


def test_leaving_after_the_service_finished_sends_no_second_email(app, front) -> None:
    ticket = served(app)
    finish_at_counter(front, ticket)
    depart(app, front, ticket)
    depart(app, front, ticket)
    assert run_retries(app) == 1
    assert len(survey_mails(app)) == 1


def test_a_visitor_who_leaves_at_the_door_is_mailed_too(app, front) -> None:
    ticket = served(app)
    depart(app, front, ticket)  # served, never finished at the counter
    run_retries(app)
    assert len(survey_mails(app)) == 1


def test_a_visit_without_an_address_is_mailed_nothing(app, front) -> None:
    ticket = served(app, email="")
    finish_at_counter(front, ticket)
    assert run_retries(app) == 0
    assert survey_mails(app) == []


def test_a_visitor_who_rated_the_service_on_the_terminal_is_not_mailed(app) -> None:
    terminal = register_terminal(app)
    start(terminal, walk_in(app, email=ADDRESS, at=at(0)))
    read_a_page(terminal)  # a service given there: it can be rated
    tapped = finish(terminal)
    assert tapped.status_code == 303 and "/survei/" in tapped.location  # rated there and then
    assert answer(terminal, tapped.location).status_code == 303
    assert run_retries(app) == 1  # the job ran, read the invitation answered, and sent nothing
    assert survey_mails(app) == []
    assert responses(app) == 1


def test_a_visitor_who_skipped_the_survey_on_the_terminal_is_mailed_it(app) -> None:
    terminal = register_terminal(app)
    start(terminal, walk_in(app, email=ADDRESS, at=at(0)))
    read_a_page(terminal)  # a service given there: it can be rated
    assert "/survei/" in finish(terminal).location
    run_retries(app)
    [mail] = survey_mails(app)
    assert "/survei/" in mail


def test_after_leaving_the_survey_back_on_the_terminal_cannot_reopen_it(app) -> None:
    terminal = register_terminal(app)
    start(terminal, walk_in(app, email=ADDRESS, at=at(0)))
    read_a_page(terminal)
    survey = finish(terminal).location
    assert terminal.get(survey).status_code == 200  # the visitor leaving is asked there and then
    terminal.get("/terminal")  # "Lewati survei": back to the screen
    again = terminal.get(survey)  # the browser's Back, by the next visitor
    assert again.status_code == 404
    assert "Survei ini sudah ditutup di terminal ini" in page_text(again)
    closed = again.get_data(as_text=True)  # in the terminal's frame, back to its start: no site, no sign-in
    assert 'href="/terminal"' in closed and 'href="/masuk"' not in closed and 'href="/"' not in closed
    phone = app.test_client()  # the same link, emailed, still opens on the visitor's own phone
    assert phone.get(survey).status_code == 200


def test_the_browsers_icon_request_on_a_terminal_leaves_the_survey_open(app) -> None:
    terminal = register_terminal(app)
    start(terminal, walk_in(app, email=ADDRESS, at=at(0)))
    read_a_page(terminal)
    survey = finish(terminal).location
    with terminal.get("/favicon.ico") as icon:  # asked by the browser with every page
        assert icon.status_code == 200
    assert terminal.get(survey).status_code == 200


def test_the_emailed_survey_speaks_the_language_the_guest_book_was_signed_in(app, front) -> None:
    ticket = served(app)
    with app.extensions["pustaka"].uow() as uow:
        uow.session.get_one(Ticket, ticket).visit.language = "en"
        uow.commit()
    finish_at_counter(front, ticket)
    run_retries(app)
    [mail] = survey_mails(app)
    found = SURVEY_LINK.search(mail)
    assert found, mail
    phone = app.test_client()  # a phone set to Indonesian: the guest book's language wins
    page = page_text(phone.get(found.group(1), headers={"Accept-Language": "id"}))
    assert "Library" in page and "Perpustakaan" not in page

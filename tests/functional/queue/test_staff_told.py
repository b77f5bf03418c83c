"""Staff are told of work that has a clock: by email when it arrives, and by a count in the menu.

A consultation opened online emails every consultant (the office's address when it has none);
a complaint sent through the public form emails the complaint staff with its deadline, and the
complaint desk shows that deadline. The menu counts what waits behind each desk.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from functools import partial

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select, update

from library.catalogue.staff_list import drafts_counted
from library.consultation.read_models import unread_counted
from library.models import Office, Publication, Role
from library.quality.complaints.read_models import new_complaints_counted
from tests.functional.accounts.helpers import body, link_in, make_person, outbox, sign_in
from tests.functional.complaints.helpers import code_of, file_complaint
from tests.functional.consultation.test_consultation_pages import number_of, open_consultation


def _menu_count(client: FlaskClient, label: str) -> int:
    """Return the count the menu shows beside a desk's link (0 when none)."""
    html = client.get("/").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html[: html.find("<main")]).split())  # the menu, above the page
    found = re.search(re.escape(label) + r"\s+\d+\s+(\d+) menunggu", text)  # the figure, then its words
    return int(found.group(1)) if found else 0


def _mail_to(app: Flask, address: str, subject_part: str) -> list[EmailMessage]:
    return [m for m in outbox(app) if m["To"] == address and subject_part in m["Subject"]]


def test_a_new_consultation_emails_the_consultants_and_counts_on_their_menu(
    app: Flask, client: FlaskClient
) -> None:
    app.extensions["pustaka"].jobs.immediate = True
    consultant = make_person(app, "konsultan@bps.go.id", [Role.CONSULTANT])
    sign_in(client, make_person(app, "ani@example.id"))
    number = number_of(open_consultation(client))

    (mail,) = _mail_to(app, "konsultan@bps.go.id", f"Konsultasi baru {number}")
    assert "Data kemiskinan" in body(mail) and "3 hari kerja" in body(mail)
    assert link_in(mail, "/meja/konsultasi/") == f"/meja/konsultasi/{number}"
    desk = app.test_client()
    sign_in(desk, consultant)
    assert _menu_count(desk, "Meja konsultasi") == 1
    assert _menu_count(client, "Meja konsultasi") == 0  # a reader has no such desk


def test_with_no_consultant_the_offices_own_address_is_told(app: Flask, client: FlaskClient) -> None:
    rt = app.extensions["pustaka"]
    rt.jobs.immediate = True
    with rt.transaction() as uow:
        uow.session.execute(
            update(Office).where(Office.code == rt.settings.office).values(email="pst1872@bps.go.id")
        )
    sign_in(client, make_person(app, "ani@example.id"))
    number = number_of(open_consultation(client))
    assert _mail_to(app, "pst1872@bps.go.id", f"Konsultasi baru {number}")


def test_a_complaint_from_the_public_form_emails_its_staff_with_the_deadline_the_desk_shows(
    app: Flask, client: FlaskClient
) -> None:
    app.extensions["pustaka"].jobs.immediate = True
    staff = make_person(app, "fo@bps.go.id", [Role.FRONT_OFFICE])
    code = code_of(file_complaint(client))

    (mail,) = _mail_to(app, "fo@bps.go.id", f"Pengaduan baru {code}")
    assert "Antrean terlalu lama" in body(mail) and "5 hari kerja" in body(mail)
    assert link_in(mail, "/meja/pengaduan/") == f"/meja/pengaduan/{code}"
    desk = app.test_client()
    sign_in(desk, staff)
    assert _menu_count(desk, "Pengaduan") == 1
    listing = desk.get("/meja/pengaduan").get_data(as_text=True)
    assert re.search(rf"{code}.*?<time datetime=\"[^\"]+\">", listing, re.S)  # its answer's deadline
    assert "Lewat tenggat" not in listing


def test_an_administrators_menu_counts_every_desk_in_one_statement(app: Flask, client: FlaskClient) -> None:
    rt = app.extensions["pustaka"]
    rt.jobs.immediate = True
    sign_in(client, make_person(app, "ani@example.id"))
    open_consultation(client)
    file_complaint(app.test_client())
    with rt.transaction() as uow:  # two of the demo's publications back to drafts
        ids = uow.session.scalars(select(Publication.id).order_by(Publication.id).limit(2)).all()
        uow.session.execute(update(Publication).where(Publication.id.in_(ids)).values(published_at=None))
    with rt.uow() as uow:
        counts = (drafts_counted(), unread_counted(), new_complaints_counted())
        drafts, unread, complaints = (uow.session.scalar(count) for count in counts)
    admin = app.test_client()
    sign_in(admin, make_person(app, "admin@bps.go.id", [Role.ADMIN]))
    statements: list[str] = []
    listen = partial(event.listen, rt.engine, "before_cursor_execute")
    listen(lambda _c, _cur, sql, *_: statements.append(sql))
    assert _menu_count(admin, "Meja pustakawan") == drafts >= 2  # no request waits for a decision
    assert (
        (_menu_count(admin, "Meja konsultasi"), _menu_count(admin, "Pengaduan"))
        == (unread, complaints)
        == (1, 1)
    )
    counting = [sql for sql in statements if "count(" in sql.lower()]
    assert len(counting) == 3  # one a page: three pages read

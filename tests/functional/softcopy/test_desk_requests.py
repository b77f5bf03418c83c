"""The librarian's side of requests: approving some pages only, the waiting count, the history, the alert."""

from __future__ import annotations

import io
import re

import pikepdf
import pymupdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from library.ledger.deliveries import deliverable_file
from library.models import AccessLevel, Publication, Role, User
from tests.functional.accounts.helpers import make_person, outbox, page_text, sign_in, submit
from tests.functional.softcopy.helpers import ask, publication_id
from watermark.stamping.stamper import damaged

NUMBER = re.compile(r"PS-\d{8}-\d{5}")
REASON = "Halaman 4-5 memuat data yang belum dirilis."


def number_of(response) -> str:
    found = NUMBER.search(response.headers.get("Location", ""))
    assert found, "the request was not received"
    return found.group(0)


@pytest.fixture
def reader(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(client, make_person(app, "ani@example.id", name="Ani Suryani"))
    return client


@pytest.fixture
def librarian(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(client, make_person(app, "pustakawan@example.id", roles=[Role.LIBRARIAN]))
    return client


@pytest.fixture
def restricted(app: Flask) -> int:
    """Return a restricted publication of at least five pages."""
    found = publication_id(app, AccessLevel.RESTRICTED)
    with app.extensions["pustaka"].uow() as uow:
        assert (deliverable_file(uow, found).page_count or 0) >= 5
    return found


def approve(librarian: FlaskClient, number: str, **fields: str):
    path = f"/meja/permintaan/{number}"
    data = {f"approve-{name}": value for name, value in fields.items()}
    return submit(librarian, f"{path}/setujui", data, form_page=path)


def download(client: FlaskClient, number: str) -> bytes:
    response = submit(client, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    assert response.status_code == 200
    data = response.get_data()
    response.close()
    return data


def page_count(pdf: bytes) -> int:
    with pymupdf.open(stream=io.BytesIO(pdf), filetype="pdf") as document:
        return document.page_count


# -- approving some pages only ---------------------------------------------------------------


def test_approving_some_pages_makes_the_copy_of_those_pages_only(reader, librarian, restricted) -> None:
    number = number_of(ask(reader, restricted, scope="pages", pages="2-5"))
    assert approve(librarian, number, pages="2-3", note=REASON).status_code == 303
    assert page_count(download(reader, number)) == 2


def test_the_reader_sees_which_pages_were_approved_and_why(reader, librarian, restricted) -> None:
    number = number_of(ask(reader, restricted, scope="pages", pages="2-5"))
    approve(librarian, number, pages="2-3", note=REASON)
    text = page_text(reader.get(f"/permintaan/{number}"))
    assert "2-5" in text and "2-3" in text and REASON in text


def test_the_ledger_names_the_pages_approved(reader, librarian, restricted) -> None:
    number = number_of(ask(reader, restricted, scope="pages", pages="2-5"))
    approve(librarian, number, pages="2-3, 5", note=REASON)
    download(reader, number)
    text = page_text(librarian.get("/meja/buku-besar", query_string={"orang": "ani@example.id"}))
    assert "2-3, 5" in text


def test_a_whole_publication_request_can_be_narrowed_to_some_pages(reader, librarian, restricted) -> None:
    number = number_of(ask(reader, restricted))
    assert approve(librarian, number, pages="1", note=REASON).status_code == 303
    assert page_count(download(reader, number)) == 1


def test_pages_that_were_not_asked_for_cannot_be_approved(reader, librarian, restricted) -> None:
    number = number_of(ask(reader, restricted, scope="pages", pages="2-3"))
    refused = approve(librarian, number, pages="2-4", note=REASON)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'id="approve-pages-error"' in html and "4" in page_text(refused)


def test_approving_only_some_pages_needs_the_reason(reader, librarian, restricted) -> None:
    number = number_of(ask(reader, restricted, scope="pages", pages="2-5"))
    refused = approve(librarian, number, pages="2")
    assert refused.status_code == 400
    assert 'id="approve-note-error"' in refused.get_data(as_text=True)


@pytest.mark.parametrize("pages", ["x", "0", "3-2"])
def test_a_badly_written_page_range_is_named_on_the_pages_field(reader, librarian, restricted, pages) -> None:
    number = number_of(ask(reader, restricted, scope="pages", pages="2-5"))
    refused = approve(librarian, number, pages=pages, note=REASON)
    assert refused.status_code == 400
    assert 'id="approve-pages-error"' in refused.get_data(as_text=True)


def test_approving_every_page_asked_for_needs_no_reason_and_is_not_shown_as_narrowed(
    reader, librarian, restricted
) -> None:
    number = number_of(ask(reader, restricted, scope="pages", pages="2-3"))
    assert approve(librarian, number, pages="2-3").status_code == 303
    assert "Halaman yang disetujui" not in page_text(reader.get(f"/permintaan/{number}"))
    assert page_count(download(reader, number)) == 2


# -- the count of waiting requests ------------------------------------------------------------


def test_the_desk_shows_how_many_requests_wait_for_a_decision(reader, librarian, restricted) -> None:
    assert "menunggu keputusan Anda" not in page_text(librarian.get("/meja/"))
    number_of(ask(reader, restricted, scope="pages", pages="2"))
    number = number_of(ask(reader, restricted, scope="pages", pages="3"))
    desk = librarian.get("/meja/")
    assert "2 permintaan softcopy menunggu keputusan Anda." in page_text(desk)
    assert re.search(r'class="waiting-count"[^>]*>2<', desk.get_data(as_text=True))
    approve(librarian, number)
    assert "1 permintaan softcopy menunggu keputusan Anda." in page_text(librarian.get("/meja/"))


def test_every_desk_page_shows_the_count_in_its_menu(reader, librarian, restricted) -> None:
    number_of(ask(reader, restricted, scope="pages", pages="2"))
    for path in ("/meja/permintaan", "/meja/buku-besar", "/meja/lacak", "/meja/permintaan/riwayat"):
        html = librarian.get(path).get_data(as_text=True)
        assert re.search(r'class="waiting-count"[^>]*>1<', html), path


# -- a copy that could not be made ------------------------------------------------------------


@pytest.mark.parametrize(
    "language, words",
    [
        ("id", "Salinan berwatermark tidak dapat dibuat: PDF rusak dan tidak dapat diperbaiki: xref"),
        ("en", "The stamped copy could not be made: The PDF is damaged and cannot be repaired: xref"),
    ],
)
def test_a_copy_of_a_damaged_file_shows_why_on_the_desk_in_the_librarians_language(
    reader, librarian, restricted, monkeypatch, language, words
) -> None:
    def damaged_file(*_args: object, **_kwargs: object) -> None:
        raise damaged(pikepdf.PdfError("xref not found\nand more of qpdf's lines"))

    monkeypatch.setattr("watermark.stamping.copies.stamp_pdf_bytes", damaged_file)
    number = number_of(ask(reader, restricted, scope="pages", pages="2"))
    approve(librarian, number)  # the copy is made at once, and fails: the file is damaged
    librarian.set_cookie("lang", language)
    assert words in page_text(librarian.get(f"/meja/permintaan/{number}"))


# -- the history of answered requests ---------------------------------------------------------


@pytest.fixture
def answered(app: Flask, reader, librarian, restricted) -> dict[str, str]:
    """Two answered requests by Ani (one ready, one refused) and one by Budi still waiting."""
    ready = number_of(ask(reader, restricted, scope="pages", pages="2"))
    approve(librarian, ready)
    refused = number_of(ask(reader, restricted, scope="pages", pages="3"))
    path = f"/meja/permintaan/{refused}"
    submit(librarian, f"{path}/tolak", {"refuse-reason": "Data belum dapat dibagikan."}, form_page=path)
    budi = app.test_client()
    sign_in(budi, make_person(app, "budi@example.id", name="Budi Santoso"))
    waiting = number_of(ask(budi, restricted, scope="pages", pages="4"))
    return {"ready": ready, "refused": refused, "waiting": waiting}


def test_the_history_lists_answered_requests_only(librarian, answered) -> None:
    text = page_text(librarian.get("/meja/permintaan/riwayat"))
    assert answered["ready"] in text and answered["refused"] in text
    assert answered["waiting"] not in text


def test_the_history_filters_by_status(librarian, answered) -> None:
    text = page_text(librarian.get("/meja/permintaan/riwayat", query_string={"status": "refused"}))
    assert answered["refused"] in text and answered["ready"] not in text


def test_the_history_filters_by_requester_and_title(app, librarian, answered, restricted) -> None:
    nobody = page_text(librarian.get("/meja/permintaan/riwayat", query_string={"peminta": "budi"}))
    assert "0 permintaan" in nobody
    with app.extensions["pustaka"].uow() as uow:
        title = uow.session.get(Publication, restricted).title
    found = page_text(
        librarian.get("/meja/permintaan/riwayat", query_string={"peminta": "ANI@", "judul": title[:12]})
    )
    assert answered["ready"] in found and answered["refused"] in found


def test_the_history_filters_by_the_day_of_the_answer(app, librarian, answered) -> None:
    today = app.extensions["pustaka"].today().isoformat()
    same_day = page_text(
        librarian.get("/meja/permintaan/riwayat", query_string={"dari": today, "sampai": today})
    )
    assert answered["ready"] in same_day
    before = page_text(librarian.get("/meja/permintaan/riwayat", query_string={"sampai": "2020-01-01"}))
    assert answered["ready"] not in before


def test_the_history_comes_a_page_at_a_time(librarian, answered, monkeypatch) -> None:
    monkeypatch.setattr("webapp.desk.requests.HISTORY_PER_PAGE", 1)
    first = librarian.get("/meja/permintaan/riwayat")
    second = librarian.get("/meja/permintaan/riwayat", query_string={"halaman": 2})
    assert 'rel="next"' in first.get_data(as_text=True)
    assert answered["refused"] in page_text(first) and answered["ready"] in page_text(second)


@pytest.mark.parametrize(
    "query", [{"dari": "2026-03-06", "sampai": "2026-03-05"}, {"dari": "kemarin"}, {"status": "review"}]
)
def test_bad_history_filters_are_explained_on_the_page(librarian, query) -> None:
    response = librarian.get("/meja/permintaan/riwayat", query_string=query)
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)


def test_a_reader_may_not_open_the_history(reader) -> None:
    assert reader.get("/meja/permintaan/riwayat").status_code == 403


# -- the librarians' alert --------------------------------------------------------------------


def test_librarians_are_emailed_a_link_when_a_restricted_request_arrives(
    app, reader, librarian, restricted
) -> None:
    number = number_of(ask(reader, restricted, scope="pages", pages="2-3"))
    alerts = [m for m in outbox(app) if m["To"] == "pustakawan@example.id"]
    assert len(alerts) == 1 and number in alerts[0]["Subject"]
    text = alerts[0].get_content()
    assert f"/meja/permintaan/{number}" in text
    assert "Ani Suryani" in text and "2-3" in text


def test_no_librarian_is_emailed_for_an_open_request(app, reader, librarian) -> None:
    ask(reader, publication_id(app, AccessLevel.OPEN))
    assert not [m for m in outbox(app) if m["To"] == "pustakawan@example.id"]


def test_an_inactive_librarian_is_not_emailed(app, reader, librarian, restricted) -> None:
    with app.extensions["pustaka"].uow() as uow:
        uow.session.execute(update(User).where(User.email == "pustakawan@example.id").values(active=False))
        uow.commit()
    active = make_person(app, "kepala@example.id", roles=[Role.LIBRARIAN])
    ask(reader, restricted, scope="pages", pages="2")
    recipients = {m["To"] for m in outbox(app) if "menunggu keputusan" in m["Subject"]}
    assert recipients == {active.email}
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalar(select(User.active).where(User.email == "pustakawan@example.id")) is False

"""The delivery ledger on the librarian's desk: search, office-day dates, paging, CSV export; staff only."""

from __future__ import annotations

import csv
import datetime as dt
import io

import lxml.html
import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from sqlalchemy import select

from library.models import Delivery, DeliveryChannel, Publication, Role
from tests.functional.accounts.helpers import make_person, page_text, sign_in
from tests.functional.ledger_helpers import deliver

WIB = dt.timezone(dt.timedelta(hours=7))


def march(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Return a moment of March 2026 in the office's time (WIB)."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def librarian(app, client):
    """Sign a librarian in, reading pages in English (the msgids, whatever the catalogue holds)."""
    person = make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN])
    sign_in(client, person)
    client.set_cookie("lang", "en")
    return person


def title_of(app: Flask, publication_id: int) -> str:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.get(Publication, publication_id).title


def test_each_row_shows_the_delivery_in_office_time_with_its_details(app, client, librarian) -> None:
    delivery_id = deliver(
        app,
        "Dewi Lestari",
        "dewi@unila.ac.id",
        march(5, 23, 30),
        request_number="PST-2026-0042",
        client_address="203.0.113.9",
    ).delivery_id
    response = client.get("/meja/buku-besar")
    html, text = response.get_data(as_text=True), page_text(response)
    assert response.status_code == 200
    assert "5 March 2026, 23:30 WIB" in text  # as every page writes a moment; the export keeps ISO 8601
    assert '<time datetime="2026-03-05T16:30:00+00:00">' in html
    for shown in (
        delivery_id,
        "Dewi Lestari",
        "dewi@unila.ac.id",
        title_of(app, 1),
        "PST-2026-0042",
        "Online request",
        "203.0.113.9",
    ):
        assert shown in text
    assert 'href="/katalog/1"' in html


def test_the_indonesian_page_writes_the_delivery_time_the_indonesian_way(app, client, librarian) -> None:
    deliver(app, "Dewi Lestari", "dewi@unila.ac.id", march(5, 23, 30))
    client.set_cookie("lang", "id")
    text = page_text(client.get("/meja/buku-besar"))
    assert "5 Maret 2026 23.30 WIB" in text
    assert "2026-03-05" not in text


def test_searching_by_person_keeps_only_their_deliveries(app, client, librarian) -> None:
    dewi = deliver(app, "Dewi Lestari", "dewi@unila.ac.id", march(5, 9)).delivery_id
    budi = deliver(app, "Budi Santoso", "budi@example.id", march(5, 10)).delivery_id
    text = page_text(client.get("/meja/buku-besar", query_string={"orang": "UNILA"}))
    assert dewi in text and budi not in text
    assert "1 delivery found." in text


def test_filtering_by_publication_and_channel_narrows_the_rows(app, client, librarian) -> None:
    first = deliver(app, "Dewi Lestari", "dewi@unila.ac.id", march(5, 9)).delivery_id
    scan = deliver(
        app,
        "Dewi Lestari",
        "dewi@unila.ac.id",
        march(5, 10),
        publication_id=2,
        channel=DeliveryChannel.SCAN,
    ).delivery_id
    by_id = page_text(client.get("/meja/buku-besar", query_string={"publikasi": "2"}))
    by_title = page_text(client.get("/meja/buku-besar", query_string={"publikasi": title_of(app, 1).lower()}))
    by_channel = page_text(client.get("/meja/buku-besar", query_string={"saluran": "scan"}))
    assert scan in by_id and first not in by_id
    assert first in by_title and scan not in by_title
    assert scan in by_channel and first not in by_channel


def test_the_date_range_follows_the_office_day(app, client, librarian) -> None:
    late = deliver(app, "Rina Wati", "rina@example.id", march(5, 23, 30)).delivery_id
    after_midnight = deliver(app, "Rina Wati", "rina@example.id", march(6, 0, 30)).delivery_id
    fifth = page_text(
        client.get("/meja/buku-besar", query_string={"dari": "2026-03-05", "sampai": "2026-03-05"})
    )
    sixth = page_text(client.get("/meja/buku-besar", query_string={"dari": "2026-03-06"}))
    assert late in fifth and after_midnight not in fifth
    assert after_midnight in sixth and late not in sixth


def test_rows_are_newest_first_and_the_pages_keep_the_filters(app, client, librarian, monkeypatch) -> None:
    monkeypatch.setattr("webapp.desk.ledger.PER_PAGE", 1)
    older = deliver(app, "Dewi Lestari", "dewi@unila.ac.id", march(4, 9)).delivery_id
    newer = deliver(app, "Dewi Lestari", "dewi@unila.ac.id", march(5, 9)).delivery_id
    first = client.get("/meja/buku-besar", query_string={"orang": "dewi"})
    assert newer in page_text(first) and older not in page_text(first)
    assert 'href="/meja/buku-besar?halaman=2&amp;orang=dewi"' in first.get_data(as_text=True)
    second = page_text(client.get("/meja/buku-besar", query_string={"orang": "dewi", "halaman": "2"}))
    assert older in second and "Page 2 of 2" in second


@pytest.mark.parametrize(
    "args, message",
    [
        ({"dari": "05-03-2026"}, "Write the date as YYYY-MM-DD"),
        ({"sampai": "2026-02-30"}, "Write the date as YYYY-MM-DD"),
        ({"dari": "kemarin"}, "Write the date as YYYY-MM-DD"),
        ({"dari": "2026-03-06", "sampai": "2026-03-05"}, "The start date is after the end date."),
        ({"saluran": "pos"}, "Choose a channel from the list."),
    ],
)
def test_bad_filters_are_explained_on_the_page(client, librarian, args, message) -> None:
    response = client.get("/meja/buku-besar", query_string=args)
    assert response.status_code == 400
    assert message in page_text(response)


def test_the_export_is_csv_with_a_bom_an_indonesian_header_and_the_filtered_rows(
    app, client, librarian
) -> None:
    dewi = deliver(
        app,
        "Dewi Lestari",
        "dewi@unila.ac.id",
        march(5, 23, 30),
        request_number="PST-2026-0042",
    ).delivery_id
    deliver(app, "Budi Santoso", "budi@example.id", march(5, 10))
    response = client.get("/meja/buku-besar.csv", query_string={"orang": "dewi"})
    body = response.get_data()
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    with app.test_request_context(), force_locale("id"):
        assert header[1] == gettext("Delivery ID") and header[0] == gettext(
            "Delivered at (%(zone)s)", zone="Asia/Jakarta"
        )
    assert rows == [
        [
            "2026-03-05 23:30:00",
            dewi,
            "Dewi Lestari",
            "dewi@unila.ac.id",
            "1",
            title_of(app, 1),
            "PST-2026-0042",
            rows[0][7],
            f"1\u2013{rows[0][9]}",
            rows[0][9],
            "",
            f"http://127.0.0.1:8000/id/bps1872/{1}",  # the demo numbers its publications as their ids
        ]
    ]
    assert int(rows[0][9]) >= 2


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(app, client, librarian) -> None:
    deliver(app, '=HYPERLINK("http://evil.example")', "x@example.id", march(5, 9))
    rows = list(csv.reader(io.StringIO(client.get("/meja/buku-besar.csv").get_data().decode("utf-8-sig"))))
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example")'


def test_an_export_with_a_bad_filter_is_an_error_page_not_a_file(client, librarian) -> None:
    response = client.get("/meja/buku-besar.csv", query_string={"dari": "2026-03-06", "sampai": "2026-03-05"})
    assert response.status_code == 400 and response.mimetype == "text/html"


@pytest.mark.parametrize("path", ["/meja/buku-besar", "/meja/buku-besar.csv", "/meja/lacak"])
def test_a_reader_may_not_open_the_ledger_pages(app, client, path) -> None:
    sign_in(client, make_person(app, "pembaca@example.id"))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/meja/buku-besar", "/meja/buku-besar.csv", "/meja/lacak"])
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_an_admin_may_read_the_ledger(app, client) -> None:
    sign_in(client, make_person(app, "admin@bps.go.id", [Role.ADMIN]))
    assert client.get("/meja/buku-besar").status_code == 200


def test_the_desk_links_to_the_ledger_and_the_trace_form(client, librarian) -> None:
    html = client.get("/meja/").get_data(as_text=True)
    assert 'href="/meja/buku-besar"' in html and 'href="/meja/lacak"' in html


@pytest.mark.parametrize(
    "query",
    [
        "publikasi=%C2%B2",
        "sampai=9999-12-31",
        "dari=0001-01-01",
        "halaman=99999999999999999999",
        "orang=a%00b",
    ],
)
def test_odd_filters_get_an_answer_not_a_server_error(client, librarian, query) -> None:
    assert client.get(f"/meja/buku-besar?{query}").status_code in (200, 400)
    assert client.get(f"/meja/buku-besar.csv?{query}").status_code in (200, 400)


def ledger_cells(response, column: str) -> list[str]:
    """Return the cells of one column of the ledger table, by its heading."""
    table = lxml.html.fromstring(response.get_data(as_text=True)).find_class("ledger")[0]
    headings = [th.text_content().strip() for th in table.iterfind("thead/tr/th")]
    position = headings.index(column)
    return [
        " ".join(row.findall("td")[position].text_content().split()) for row in table.iterfind("tbody/tr")
    ]


def test_the_pages_column_shows_the_page_ranges_delivered_not_a_count(app, client, librarian) -> None:
    deliver(app, "Dewi Lestari", "dewi@unila.ac.id", march(5, 9), pages=(2, 3, 7))
    assert ledger_cells(client.get("/meja/buku-besar"), "Pages") == ["2-3, 7"]


def test_a_whole_publication_shows_as_its_first_to_last_page(app, client, librarian) -> None:
    delivery_id = deliver(app, "Dewi Lestari", "dewi@unila.ac.id", march(5, 9)).delivery_id
    with app.extensions["pustaka"].uow() as uow:
        count = uow.session.scalar(select(Delivery.pages).where(Delivery.delivery_id == delivery_id))
    assert ledger_cells(client.get("/meja/buku-besar"), "Pages") == [f"1-{count}"]


def test_the_export_can_separate_cells_with_semicolons_for_excel_in_indonesian(
    app, client, librarian
) -> None:
    deliver(app, "Dewi; Lestari", "dewi@unila.ac.id", march(5, 9), pages=(2, 3, 7))
    page = client.get("/meja/buku-besar")
    assert 'href="/meja/buku-besar.csv?pemisah=titik-koma"' in page.get_data(as_text=True)
    body = client.get("/meja/buku-besar.csv", query_string={"pemisah": "titik-koma"}).get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(header) == len(row) == 12
    assert row[2] == "Dewi; Lestari" and row[8] == "2\u20133, 7" and row[9] == "3"
    assert text.splitlines()[0].count(";") == 11

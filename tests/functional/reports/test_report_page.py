"""The report page: for the office head and administrators, a period chosen in the address, errors named."""

from __future__ import annotations

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Role, SearchTerm
from library.settings import Settings
from tests.demo_fixtures import clone_instance
from tests.functional.accounts.helpers import make_person, page_text, sign_in
from webapp import create_app

MONTH = "periode=bulan&tanggal=2026-11-17"


@pytest.fixture
def signed_in(app: Flask, client: FlaskClient):  # type: ignore[no-untyped-def]
    """Return a function that signs a person with a role in, reading pages in English."""

    def sign(role: Role) -> FlaskClient:
        sign_in(client, make_person(app, f"{role.value}@bps.go.id", [role]))
        client.set_cookie("lang", "en")
        return client

    return sign


def test_signed_out_people_are_asked_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/laporan/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.LIBRARIAN, Role.FRONT_OFFICE, Role.READER])
def test_other_staff_and_readers_are_refused_the_page_and_its_files(signed_in, role: Role) -> None:
    client = signed_in(role)
    assert [
        client.get(path).status_code for path in ("/laporan/", "/laporan/walk_in.csv", "/laporan/laporan.pdf")
    ] == [
        403,
        403,
        403,
    ]
    assert "Reports" not in page_text(client.get("/"))


@pytest.mark.parametrize("role", [Role.OFFICE_HEAD, Role.ADMIN])
def test_the_office_head_and_administrators_find_the_report_in_the_menu(signed_in, role: Role) -> None:
    client = signed_in(role)
    home = lxml.html.fromstring(client.get("/").get_data(as_text=True))
    assert [a.get("href") for a in home.xpath("//nav//a") if a.text_content() == "Reports"] == ["/laporan/"]
    response = client.get("/laporan/")
    assert response.status_code == 200
    assert "Service quality report" in page_text(response)


def test_each_chart_is_an_image_with_a_title_and_a_description_and_no_inline_style(signed_in) -> None:
    html = signed_in(Role.OFFICE_HEAD).get(f"/laporan/?{MONTH}").get_data(as_text=True)
    page = lxml.html.fromstring(html)
    charts = page.xpath("//svg[@class='chart']")
    # A quiet month: services, requests, copy channels, IKM, consultations (no publication, term, answer,
    # visit).
    assert len(charts) == 5
    for chart in charts:
        assert chart.get("role") == "img"
        title_id, desc_id = chart.get("aria-labelledby").split()
        assert (
            page.get_element_by_id(title_id).tag == "title" and page.get_element_by_id(desc_id).tag == "desc"
        )
    assert "style=" not in html


def test_a_range_of_days_links_to_the_ranges_before_and_after_it(signed_in) -> None:
    response = signed_in(Role.ADMIN).get("/laporan/?periode=rentang&dari=2026-11-02&sampai=2026-11-08")
    page = lxml.html.fromstring(response.get_data(as_text=True))
    assert page.get_element_by_id("report-period").text_content() == "2 Nov 2026 \u2013 8 Nov 2026"
    previous = page.xpath("//a[@rel='prev']/@href")[0]
    assert "dari=2026-10-26" in previous and "sampai=2026-11-01" in previous
    assert "Working days in the period: 5 of 7." in page_text(response)


@pytest.mark.parametrize(
    "query, field, message",
    [
        (
            "periode=hari&tanggal=2026-13-45",
            "tanggal",
            "Write the date as YYYY-MM-DD, for example 2026-11-30.",
        ),
        ("periode=minggu", "periode", "Choose a day, a month, a quarter, a year or a range of days."),
        ("periode=rentang&dari=2026-11-01", "sampai", "Give the first and the last day of the range."),
        ("periode=rentang&dari=2026-11-30&sampai=2026-11-01", "sampai", "The period ends before it starts."),
    ],
)
def test_a_period_that_cannot_be_read_is_named_on_the_form(
    signed_in, query: str, field: str, message: str
) -> None:
    response = signed_in(Role.OFFICE_HEAD).get(f"/laporan/?{query}")
    assert response.status_code == 400
    page = lxml.html.fromstring(response.get_data(as_text=True))
    assert page.get_element_by_id("form-error").text_content().strip() == message
    assert page.xpath(f"//a[@href='#{field}']")


def test_a_file_of_a_table_that_does_not_exist_is_not_found_and_a_bad_period_is_explained(signed_in) -> None:
    client = signed_in(Role.OFFICE_HEAD)
    assert client.get(f"/laporan/nothing.csv?{MONTH}").status_code == 404
    refused = client.get("/laporan/laporan.pdf?periode=hari&tanggal=kemarin")
    assert refused.status_code == 400 and "YYYY-MM-DD" in page_text(refused)


def test_the_search_page_counts_the_words_of_a_first_page_of_results(indexed_instance, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(
        Settings.from_env({}, instance_dir=clone_instance(indexed_instance, tmp_path / "instance"))
    )
    client = app.test_client()
    for query in ("q=Kota+Metro", "q=kota++metro&halaman=2", "q=budi%40example.id", "q=&urut=terbaru"):
        assert client.get(f"/cari/?{query}").status_code == 200
    counted = select(SearchTerm.office_code, SearchTerm.term, SearchTerm.searches)
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.execute(counted).all() == []  # the requests wrote nothing: counted in memory
    app.extensions["pustaka"].write_counts()
    with app.extensions["pustaka"].uow() as uow:
        rows = uow.session.execute(counted).all()
    app.extensions["pustaka"].close()  # its tally's writer thread stops, letting the index go
    assert [tuple(row) for row in rows] == [("1872", "kota metro", 1)]

"""A month of service on a fake clock: the report (JSON, page, CSV, PDF) gives the figures the test computes.

The figures are computed in `expected` from what `month` generated, never by the report's
code; `shown` writes them as each format does (consultations too: online ones and the
consultants' walk-in records; and complaints).
"""

from __future__ import annotations

import csv
import io
import json

import lxml.html
import pymupdf
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext

from cli import main
from library.settings import Settings
from runtime.root import Runtime
from tests.functional.reports.conftest import LivedMonth
from tests.functional.reports.month import NOW
from tests.functional.reports.shown import Translate, row_words

MONTH = "periode=bulan&tanggal=2026-11-17"
TITLES = {  # each table's title, where its rows start in the PDF
    "walk_in": "Visits and waits per service",
    "walk_in_priority": "Priority visitors per service",
    "walk_in_breaches": "Breaches and the reasons staff gave",
    "visitors_hour": "Visits by hour of arrival",
    "visitors_weekday": "Visits by day of the week",
    "visitors_month": "Visits by month",
    "visitors_service": "Visits by service asked for",
    "visitors_education": "Visits by education",
    "visitors_occupation": "Visits by occupation",
    "visitors_age_band": "Visits by age group",
    "visitors_sex": "Visits by sex",
    "appointments": "Bookings per service",
    "online": "Requests and answers",
    "online_breaches": "Requests answered late or overdue",
    "copies_by_channel": "Copies per channel",
    "downloads": "Downloads of online copies",
    "top_publications": "Publications most asked for",
    "search_totals": "Searches in the period",
    "search_terms": "Terms searched most",
    "usage_totals": "Usage in the period",
    "usage_offices": "Usage per issuing office",
    "usage_collections": "Usage per collection",
    "usage_publications": "Usage per publication",
    "ikm": "Satisfaction index (IKM) per service",
    "ikm_elements_all": "Mean score per element",
    "ikm_elements_library": "Mean score per element",
    "ikm_elements_consultation": "Mean score per element",
    "consultation_channels": "Consultations per channel",
    "consultation_times": "Online consultations: clarification, answer and closing",
    "consultation_topics": "Topics asked most",
    "consultation_consultants": "Consultations per consultant",
    "consultation_referrals": "Walk-in consultations referred to other PST services",
    "consultation_ikm": "Satisfaction index (IKM) of consultation",
    "complaints_by_status": "Complaints by status",
    "complaints_by_element": "Complaints by SKM element",
    "complaints_answers": "Time to answer complaints",
}


def english(message: str) -> str:
    """Return the English words of a message: the message itself."""
    return message


def indonesian(app: Flask) -> Translate:
    """Return the app's Indonesian translation of messages."""

    def translate(message: str) -> str:
        with app.test_request_context(), force_locale("id"):
            return gettext(message)

    return translate


def after(text: str, words: list[str], start: int, where: str) -> int:
    """Find each of the words in the text in their order from `start`; return where the last ends."""
    for word in words:
        found = text.find(word, start)
        assert found >= 0, f"{where}: {word!r} not found after position {start}"
        start = found + len(word)
    return start


def test_the_command_gives_every_figure_as_json(lived_month: LivedMonth, month_app: Flask) -> None:
    settings: Settings = month_app.extensions["pustaka"].settings
    result = CliRunner().invoke(
        main,
        ["report", "quality", "--period", "month", "--date", "2026-11-17", "--json"],
        obj=Runtime(settings, now=lambda: NOW),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    tables = {key: rows for section in data["sections"].values() for key, rows in section.items()}
    assert tables == lived_month.figures
    assert data["period"] == {
        "kind": "month",
        "start": "2026-11-01",
        "end": "2026-11-30",
        "days": 30,
        "working_days": 21,
    }


def test_the_page_shows_every_figure_in_its_table(lived_month: LivedMonth, head_client: FlaskClient) -> None:
    response = head_client.get(f"/laporan/?{MONTH}")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.get_data(as_text=True))
    for key, rows in lived_month.figures.items():
        table = page.get_element_by_id(f"table-{key}")
        cells = [
            [td.text_content().strip() for td in tr.findall("td")] for tr in table.findall(".//tbody/tr")
        ]
        assert cells == [row_words(row, "en", english) for row in rows], key
    assert "November 2026" in page.get_element_by_id("report-period").text_content()


def test_each_table_downloads_as_csv_with_the_same_figures(
    lived_month: LivedMonth, month_app: Flask, head_client: FlaskClient
) -> None:
    translate = indonesian(month_app)
    for key, rows in lived_month.figures.items():
        response = head_client.get(f"/laporan/{key}.csv?{MONTH}")
        assert response.status_code == 200 and response.mimetype == "text/csv", key
        text = response.get_data(as_text=True)
        assert text.startswith("\ufeff")
        read = list(csv.reader(io.StringIO(text[1:])))
        assert read[1:] == [row_words(row, "id", translate, csv=True) for row in rows], key


def test_the_semicolon_csv_writes_decimals_with_a_comma_for_excel_in_indonesian(
    lived_month: LivedMonth, head_client: FlaskClient
) -> None:
    response = head_client.get(f"/laporan/walk_in.csv?{MONTH}&pemisah=titik-koma")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:]), delimiter=";"))
    library = lived_month.figures["walk_in"][0]
    assert rows[0][:3] == ["Layanan", "Target (menit)", "Kunjungan"]
    assert rows[1][5] == f"{library['within_target_percent']:.1f}".replace(".", ",")
    assert rows[1][8] == f"{library['median_wait_minutes']:.1f}".replace(".", ",")


def test_the_pdf_holds_every_table_in_indonesian(
    lived_month: LivedMonth, month_app: Flask, head_client: FlaskClient
) -> None:
    response = head_client.get(f"/laporan/laporan.pdf?{MONTH}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with pymupdf.open(stream=response.data, filetype="pdf") as pdf:
        text = " ".join(" ".join(page.get_text().split()) for page in pdf)
    translate = indonesian(month_app)
    start = after(
        text, ["Laporan kualitas pelayanan", "BPS Kota Metro (1872)", "November 2026"], 0, "heading"
    )
    for key, rows in lived_month.figures.items():
        start = after(text, [translate(TITLES[key])], start, key)
        for row in rows:
            start = after(text, row_words(row, "id", translate), start, key)

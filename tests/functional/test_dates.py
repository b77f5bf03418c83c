"""Dates and times on pages: unambiguous in both languages (never "11/22/26"), never with seconds."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask, render_template_string
from sqlalchemy import select

from library.models import Publication
from tests.functional.accounts.helpers import make_person, sign_in

EMBARGOED_KEY = "metro-survei-ekonomi-pertanian-2024"  # until 15 January 2027
MOMENT = dt.datetime(2026, 11, 22, 9, 41, 5, tzinfo=dt.UTC)  # 16.41.05 in Jakarta (WIB)


def shown(app: Flask, language: str, template: str, **values: object) -> str:
    """Render a bit of template as a page in `language` would."""
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        return render_template_string(template, **values)


@pytest.mark.parametrize(
    ("language", "template", "expected"),
    [
        ("en", "{{ m|datetimeformat }}", "22 Nov 2026, 16:41"),
        ("id", "{{ m|datetimeformat }}", "22 Nov 2026 16.41"),
        ("en", "{{ m|datetimeformat('short') }}", "22 Nov 2026, 16:41"),
        ("en", "{{ m|datetimeformat('long') }}", "22 November 2026, 16:41 WIB"),
        ("id", "{{ m|datetimeformat('long') }}", "22 November 2026 16.41 WIB"),
        ("id", "{{ m|datetimeformat('full') }}", "Minggu, 22 November 2026 16.41 WIB"),
        ("en", "{{ m|dateformat('long') }}", "22 November 2026"),
        ("id", "{{ m|dateformat('short') }}", "22 Nov 2026"),
        ("en", "{{ m|dateformat('full') }}", "Sunday, 22 November 2026"),
        ("id", "{{ m|timeformat('short') }}", "16.41"),
        ("en", "{{ m|timeformat('short') }}", "16:41"),
        ("id", "{{ m|timeformat('long') }}", "16.41 WIB"),
        ("en", "{{ m|timeformat('HH:mm') }}", "16:41"),
    ],
)
def test_every_date_filter_writes_day_month_year_and_minutes_in_the_offices_zone(
    app: Flask, language: str, template: str, expected: str
) -> None:
    assert shown(app, language, template, m=MOMENT) == expected


def test_a_plain_date_is_written_with_the_month_spelled_out(app: Flask) -> None:
    assert shown(app, "en", "{{ d|dateformat('long') }}", d=dt.date(2027, 1, 5)) == "5 January 2027"


def test_the_english_profile_page_shows_no_us_date_and_no_seconds(app: Flask) -> None:
    client = app.test_client()
    assert sign_in(client, make_person(app, "tanggal@example.id")).status_code == 303
    client.get("/bahasa/en")
    page = client.get("/profil").get_data(as_text=True)
    assert re.search(r"\d{1,2} [A-Z][a-z]+ 20\d\d, \d\d:\d\d WIB", page), "no date written the page's way"
    assert not re.search(r"\d{1,2}/\d{1,2}/\d{2}", page)
    assert not re.search(r"\d\d[:.]\d\d[:.]\d\d", page)


def test_the_embargo_date_on_a_publication_is_spelled_out_in_english(app: Flask) -> None:
    client = app.test_client()
    client.get("/bahasa/en")
    with app.extensions["pustaka"].uow() as uow:
        embargoed = uow.session.scalar(select(Publication.id).where(Publication.key == EMBARGOED_KEY))
    page = client.get(f"/katalog/{embargoed}").get_data(as_text=True)
    assert "until 15 January 2027" in page
    assert "January 15, 2027" not in page

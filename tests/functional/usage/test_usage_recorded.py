"""Usage recorded through the pages, double clicks and robots as COUNTER says, and shown to staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from library.models import AccessLevel, Publication, Role, UsageEvent
from library.settings import Settings
from library.usage.counting import Figures
from library.usage.figures import Clock, totals_by_publication, usage_by_day
from tests.functional.accounts.helpers import make_person, sign_in, submit
from tests.functional.softcopy.helpers import ask, publication_id
from webapp import create_app

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
OPEN_KEY = "metro-direktori-pasar-2019"  # four scanned pages, open to anyone


def id_of(app: Flask, key: str) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(Publication.id).where(Publication.key == key))


@pytest.fixture
def clock(app: Flask) -> Callable[[float], None]:
    """Return a function that sets the app's clock to a number of seconds past a fixed start.

    The start is a minute past an hour, so no test's few minutes cross into the next clock hour,
    where COUNTER's sessions begin again.
    """
    rt = app.extensions["pustaka"]
    start = (rt.now() + dt.timedelta(hours=1)).replace(minute=1, second=0, microsecond=0)

    def move(seconds: float) -> None:
        moment = start + dt.timedelta(seconds=seconds)
        rt.now = lambda: moment

    move(0)
    return move


def figures_of(app: Flask, publication_id: int) -> Figures:
    """Return the publication's figures of today, once the tally has written what it holds."""
    rt = app.extensions["pustaka"]
    rt.write_counts()
    with rt.uow() as uow:
        by_day = usage_by_day(uow, Clock(rt.timezone()), rt.today(), rt.today(), (publication_id,))
    return totals_by_publication(by_day).get(publication_id, Figures())


def visit(client: FlaskClient, path: str, agent: str) -> int:
    return client.get(path, headers={"User-Agent": agent}).status_code


def test_views_count_double_clicks_once_and_robots_never(app: Flask, clock) -> None:
    publication = id_of(app, OPEN_KEY)
    path = f"/katalog/{publication}"
    client = app.test_client()
    for seconds, agent in (
        (0, CHROME),
        (29, CHROME),
        (1, FIREFOX),
        (5, GOOGLEBOT),
        (6, GOOGLEBOT),
        (61, CHROME),
    ):
        clock(seconds)
        assert visit(client, path, agent) == 200
    # Chrome at 0 and 29 s: one view (the second click); at 61 s, 32 s later: another. Firefox: its own.
    assert figures_of(app, publication).views == 3
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(UsageEvent)) == 4  # the robot's never kept


def test_a_click_31_seconds_after_counts_again(app: Flask, clock) -> None:
    publication = id_of(app, OPEN_KEY)
    client = app.test_client()
    for seconds in (0, 31):
        clock(seconds)
        visit(client, f"/katalog/{publication}", CHROME)
    assert figures_of(app, publication).views == 2


def test_pages_shown_are_counted_per_page_and_the_reading_session_once(app: Flask, clock) -> None:
    pictures = app.extensions["pustaka"].page_pictures
    pictures.wait = pictures.start_wait = 60.0  # a slow render is not what this test is about
    publication = id_of(app, OPEN_KEY)
    client = app.test_client()
    for seconds, page in ((0, 1), (10, 2), (12, 2), (20, 3), (30, 1)):
        clock(seconds)
        assert visit(client, f"/baca/{publication}/halaman/{page}.jpg", FIREFOX) == 200
    visit(client, f"/baca/{publication}/halaman/4.jpg", GOOGLEBOT)
    figures = figures_of(app, publication)
    # Page 2 twice within 2 s: once; page 1 again 30 s later: once too (within 30 s). One session-hour.
    assert (figures.pages, figures.reads, figures.sessions, figures.views) == (3, 1, 1, 0)


def test_staff_see_the_usage_on_the_publication_page_and_are_not_counted(app: Flask, clock) -> None:
    publication = id_of(app, OPEN_KEY)
    visit(app.test_client(), f"/katalog/{publication}", CHROME)
    librarian = app.test_client()
    sign_in(librarian, make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN]))
    librarian.set_cookie("lang", "en")
    app.extensions["pustaka"].write_counts()
    page = lxml.html.fromstring(librarian.get(f"/katalog/{publication}").get_data(as_text=True))
    rows = page.xpath("//section[@id='pemakaian']//tbody/tr")
    assert len(rows) == 12
    assert [td.text_content() for td in rows[0].xpath("td")][1:] == ["1", "0", "0", "0"]
    assert figures_of(app, publication).views == 1  # the librarian's own view is not counted


def test_the_public_sees_no_usage_unless_the_office_shows_it(app: Flask, instance_dir) -> None:
    publication = id_of(app, OPEN_KEY)
    hidden = app.test_client().get(f"/katalog/{publication}").get_data(as_text=True)
    assert 'id="pemakaian"' not in hidden
    shown = create_app(Settings.from_env({}, instance_dir=instance_dir, usage_public=True))
    try:
        assert 'id="pemakaian"' in shown.test_client().get(f"/katalog/{publication}").get_data(as_text=True)
    finally:
        shown.extensions["pustaka"].close()


def test_a_download_of_a_delivered_copy_counts_once_within_30_seconds(app: Flask, clock) -> None:
    app.extensions["pustaka"].jobs.immediate = True  # the copy is made in the request
    client = app.test_client()
    sign_in(client, make_person(app, "ani@example.id"))
    publication = publication_id(app, AccessLevel.OPEN)
    number = ask(client, publication).headers["Location"].rsplit("/", 1)[-1]
    for seconds in (0, 20, 90):
        clock(seconds)
        got = submit(client, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
        assert got.status_code == 200
        got.close()
    figures = figures_of(app, publication)
    assert (figures.downloads, figures.sessions, figures.reads) == (2, 1, 0)

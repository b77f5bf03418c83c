"""An access log taken in by the COUNTER rules, counted into daily figures, reported in /laporan."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from sqlalchemy import delete, func, select

from cli import main
from library.browse.membership import collections_of
from library.models import Publication, Role, UsageDay, UsageEvent
from library.settings import Settings
from library.usage.counting import Figures
from library.usage.figures import Clock, totals_by_publication, usage_by_day
from runtime.root import Runtime
from tests.functional.accounts.helpers import make_person, sign_in

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
WIB = dt.timezone(dt.timedelta(hours=7))


def line(address: str, at: dt.datetime, request: str, status: int, agent: str) -> str:
    return f'{address} - - [{at:%d/%b/%Y:%H:%M:%S %z}] "{request} HTTP/1.1" {status} 5120 "-" "{agent}"\n'


def a_log(publication: int, day: dt.date) -> str:
    """Return a day's log: double clicks, robots, another reader's pages, failures and noise."""
    nine = dt.datetime.combine(day, dt.time(9), WIB)

    def at(seconds: int) -> dt.datetime:
        return nine + dt.timedelta(seconds=seconds)

    view, page = f"GET /katalog/{publication}", f"GET /baca/{publication}/halaman/%s.jpg?sesi=AB12CD34"
    return "".join(
        [
            line("10.0.0.1", at(0), view, 200, CHROME),
            line("10.0.0.1", at(29), view, 200, CHROME),  # a double click: the two count once
            line("10.0.0.1", at(60), view, 200, CHROME),  # 31 s after: counts again
            line("10.0.0.2", at(1), view, 200, FIREFOX),  # another session
            *(line("66.249.66.1", at(s), view, 200, GOOGLEBOT) for s in (2, 40, 90)),
            line("10.0.0.2", at(100), page % 1, 200, FIREFOX),
            line("10.0.0.2", at(110), page % 2, 200, FIREFOX),
            line("10.0.0.2", at(112), page % 2, 200, FIREFOX),
            line("10.0.0.3", at(120), view, 404, CHROME),  # not successful
            line("10.0.0.3", at(130), "GET /katalog/999999", 200, CHROME),  # no such publication
            "not a log line\n",
        ]
    )


def test_a_log_is_taken_in_counted_pruned_and_reported_alike(
    app: Flask, instance_dir: Path, tmp_path: Path
) -> None:
    rt = app.extensions["pustaka"]
    with rt.uow() as uow:
        publication = uow.session.scalar(select(func.min(Publication.id)))
    yesterday = rt.today() - dt.timedelta(days=1)
    log_file = tmp_path / "access.log"
    log_file.write_text(a_log(publication, yesterday))
    settings = Settings.from_env({}, instance_dir=instance_dir)
    result = CliRunner().invoke(main, ["usage", "import-log", str(log_file)], obj=Runtime(settings))
    assert result.exit_code == 0, result.output
    assert "Took in 7 usage events; left out 3 by robots, 1 of no publication" in result.output
    expected = Figures(views=3, reads=1, pages=2, downloads=0, sessions=1)
    assert figures_of(rt, yesterday, publication) == expected  # counted from the raw events

    result = CliRunner().invoke(main, ["usage", "count"], obj=Runtime(settings))
    assert "Counted 1 publication-days; pruned 0 raw events" in result.output
    with rt.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(UsageDay)) == 1
        uow.session.execute(delete(UsageEvent))  # as if pruned: the stored day answers alone
        uow.session.commit()
    assert figures_of(rt, yesterday, publication) == expected

    head = app.test_client()
    sign_in(head, make_person(app, "kepala@bps.go.id", [Role.OFFICE_HEAD]))
    period = f"periode=hari&tanggal={yesterday.isoformat()}"
    rows = list(
        csv.reader(io.StringIO(head.get(f"/laporan/usage_publications.csv?{period}").get_data(as_text=True)))
    )
    assert rows[1][0] == str(publication) and rows[1][3:] == ["3", "1", "2", "0", "1", "1"]
    totals = list(
        csv.reader(io.StringIO(head.get(f"/laporan/usage_offices.csv?{period}").get_data(as_text=True)))
    )
    assert len(totals) == 2 and totals[1][1:] == ["1", "3", "1", "2", "0", "1", "1"]
    by_collection = list(
        csv.reader(io.StringIO(head.get(f"/laporan/usage_collections.csv?{period}").get_data(as_text=True)))
    )
    with rt.uow() as uow:
        holding = collections_of(uow, publication)
    assert holding, "the demo's series hold the publication used"
    assert len(by_collection) == 1 + len(holding)  # the publication counts in each of its collections
    assert all(row[1:] == totals[1][1:] for row in by_collection[1:])


def figures_of(rt: Runtime, day: dt.date, publication: int) -> Figures:
    with rt.uow() as uow:
        by_day = usage_by_day(uow, Clock(rt.timezone()), day, day, (publication,))
    return totals_by_publication(by_day)[publication]

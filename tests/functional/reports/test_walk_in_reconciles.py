"""Every walk-in table adds up: visits = served + not served + transferred, for every service.

Two office days on a moved clock pass every state a ticket can end a period in (served, a
no-show skipped at its counter, closed by "Pulang" or by the close of day, transferred before
and after its service started, transferred twice, and still waiting, called or served when the
period ends). The test keeps its own tally of what happened and finds it, per service, in each
table the office sends: the `pustaka report service` and `quality` commands (the second is the
structure the page, its CSV and its PDF are laid out from, `test_month_report` proves that) and
the page's CSV. The visitors' tables count each guest-book entry once, and a visit once per
service it chose there: the walk-in visits less the tickets transfers made.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Callable

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from cli import main
from library.frontoffice.day_close import check_close_day
from library.frontoffice.lockers.stock import check_depart
from library.frontoffice.queue.actions import (
    call_next,
    finish_service,
    recall,
    skip_no_show,
    start_service,
    transfer,
)
from library.models import Role, Ticket, User
from library.uow import UnitOfWork
from runtime.root import Runtime
from tests.functional.accounts.helpers import make_person, sign_in
from tests.integration.library.queue_helpers import DAY, OFFICE, arrive, at

NEXT_DAY = DAY + dt.timedelta(days=1)
LATE = "ramai"  # a reason for a start past the target (ignored when on time)
OUTCOMES = ("served", "not_served", "transferred")


class Day:
    """The office's staff working the queues on the moved clock, and the test's tally of outcomes."""

    def __init__(self, app: Flask) -> None:
        self.rt: Runtime = app.extensions["pustaka"]
        self.staff_id = make_person(
            app, "loket@bps.go.id", [Role.FRONT_OFFICE, Role.LIBRARIAN, Role.CONSULTANT]
        ).id
        self.tally: dict[str, Counter[str]] = {"library": Counter(), "consultation": Counter()}
        self.entries = 0  # guest-book entries
        self.moved_in: Counter[str] = Counter()  # tickets a transfer made, by the service sent to

    def act(self, action: Callable[[UnitOfWork, User], object]) -> object:
        """Run one use case as the staff member, in its own transaction."""
        with self.rt.transaction() as uow:
            staff = uow.session.get(User, self.staff_id)
            return action(uow, staff)

    def arrive(self, name: str, minutes: float, services: tuple[str, ...], day: dt.date = DAY) -> list[int]:
        """Sign a visitor in the guest book; return their tickets' ids."""
        self.entries += 1
        with self.rt.transaction() as uow:
            return [t.id for t in arrive(uow, name, minutes, services, day=day)]

    def visit_of(self, ticket_id: int) -> int:
        """Return the visit a ticket belongs to."""
        with self.rt.uow() as uow:
            found = uow.session.get(Ticket, ticket_id)
            assert found is not None
            return found.visit_id

    def serve(self, service: str, counter: str, minutes: float, length: float, day: dt.date = DAY) -> int:
        """Call the next visitor of a queue, start at once; finish after `length` (0: left serving)."""
        ticket = self.act(lambda uow, s: call_next(uow, s, OFFICE, service, counter, at(minutes, day)))
        assert isinstance(ticket, Ticket)
        ticket_id = ticket.id
        self.act(lambda uow, s: start_service(uow, s, ticket_id, at(minutes, day), LATE))
        if length:
            self.act(lambda uow, s: finish_service(uow, s, ticket_id, at(minutes + length, day)))
        return ticket_id

    def send(self, ticket_id: int, to: str, minutes: float, counter: str = "Loket 2") -> int:
        """Transfer a ticket to another queue; return the new ticket's id."""
        moved = self.act(lambda uow, s: transfer(uow, s, ticket_id, to, at(minutes), counter=counter))
        assert isinstance(moved, Ticket)
        self.moved_in[to] += 1
        return moved.id

    def happened(self, service: str, outcome: str, times: int = 1) -> None:
        """Count a ticket's outcome in the test's own tally."""
        self.tally[service][outcome] += times


def live_two_days(day: Day) -> None:
    """Work Monday to its close and Tuesday until noon, counting each ticket's outcome."""
    (ani,) = day.arrive("Ani", 0, ("library",))
    (budi,) = day.arrive("Budi", 1, ("library",))
    (citra,) = day.arrive("Citra", 2, ("library",))
    day.serve("library", "Loket 1", 3, 10)  # Ani: served and finished
    day.happened("library", "served")
    assert ani
    day.act(lambda uow, s: call_next(uow, s, OFFICE, "library", "Loket 1", at(14)))
    day.act(lambda uow, s: recall(uow, s, budi, at(15)))
    day.act(lambda uow, s: skip_no_show(uow, s, budi, at(16)))  # Budi: called twice, did not come
    day.happened("library", "not_served")
    citra_k = day.send(citra, "consultation", 17)  # Citra: transferred while still waiting
    day.happened("library", "transferred")
    day.serve("consultation", "Meja 1", 18, 20)  # and served at consultation
    day.happened("consultation", "served")
    assert citra_k

    (dedi,) = day.arrive("Dedi", 40, ("library",))
    day.serve("library", "Loket 1", 41, 0)
    day.send(dedi, "consultation", 45)  # Dedi: transferred once his library service had started
    day.happened("library", "transferred")
    day.act(lambda uow, s: check_depart(uow, s, day.visit_of(dedi), at(50)))  # left before consultation
    day.happened("consultation", "not_served")

    eka_library, eka_consultation = day.arrive("Eka", 60, ("library", "consultation"))
    day.serve("library", "Loket 1", 61, 0)
    day.act(lambda uow, s: check_depart(uow, s, day.visit_of(eka_library), at(90)))  # "Pulang"
    day.happened("library", "served")  # finished by "Pulang" while served
    day.happened("consultation", "not_served")  # still waiting when she left
    assert eka_consultation

    (gita,) = day.arrive("Gita", 100, ("consultation",))
    gita_p = day.send(gita, "library", 101)  # sent to the library ...
    day.send(gita_p, "consultation", 102)  # ... and back: two transfers, one visit each
    day.happened("consultation", "transferred")
    day.happened("library", "transferred")
    day.serve("consultation", "Meja 1", 103, 15)
    day.happened("consultation", "served")

    day.arrive("Hadi", 120, ("library",))  # still waiting at the close of day
    day.arrive("Indah", 121, ("library",))
    day.act(lambda uow, s: call_next(uow, s, OFFICE, "library", "Loket 1", at(122)))  # called, never came
    day.arrive("Joko", 123, ("consultation",))
    day.serve("consultation", "Meja 1", 124, 0)  # served until the close
    day.act(lambda uow, s: check_close_day(uow, s, OFFICE, at(600), "Tutup hari: pengunjung sudah pulang"))
    day.happened("library", "not_served", 2)
    day.happened("consultation", "served")

    # Tuesday: the period ends at noon with tickets still open.
    day.arrive("Kiki", 0, ("library",), NEXT_DAY)
    day.arrive("Lina", 1, ("library",), NEXT_DAY)
    day.arrive("Mira", 2, ("library", "consultation"), NEXT_DAY)
    day.serve("library", "Loket 1", 3, 0, NEXT_DAY)  # Kiki: being served
    day.happened("library", "served")
    day.act(lambda uow, s: call_next(uow, s, OFFICE, "library", "Loket 1", at(4, NEXT_DAY)))  # Lina: called
    day.happened("library", "not_served", 2)  # Lina called, Mira waiting
    day.happened("consultation", "not_served")  # Mira waiting


def expected_rows(day: Day) -> dict[str, dict[str, int]]:
    """Return each service's visits and outcomes as the test counted them."""
    rows = {}
    for service, tally in day.tally.items():
        rows[service] = {"visits": sum(tally.values()), **{o: tally[o] for o in OUTCOMES}}
    return rows


def counted(row: dict[str, object]) -> dict[str, int]:
    """Return a table row's visits and outcomes."""
    return {key: int(row[key]) for key in ("visits", *OUTCOMES)}  # type: ignore[call-overload]


def test_the_visitors_tables_count_each_entry_once_and_agree_with_the_walk_in_visits(app: Flask) -> None:
    day = Day(app)
    live_two_days(day)
    day.rt.now = lambda: at(240, NEXT_DAY)
    period = ["--from", DAY.isoformat(), "--to", NEXT_DAY.isoformat()]
    quality = CliRunner().invoke(main, ["report", "quality", *period, "--json"], obj=day.rt)
    assert quality.exit_code == 0, quality.output
    sections = json.loads(quality.output)["sections"]
    walk_in = {row["service"]: row["visits"] for row in sections["walk_in"]["walk_in"]}
    visitors = sections["visitors"]

    chosen = {row["service"]: row["visits"] for row in visitors.pop("visitors_service")}
    assert chosen == {service: visits - day.moved_in[service] for service, visits in walk_in.items()}
    assert day.entries == 12 and len(visitors) == 7
    for key, rows in visitors.items():  # hour, weekday, month, and each answer
        assert sum(row["visits"] for row in rows) == day.entries, key


def test_every_visit_state_of_a_generated_day_adds_up_in_every_walk_in_table(
    app: Flask, client: FlaskClient
) -> None:
    day = Day(app)
    live_two_days(day)
    expected = expected_rows(day)
    assert all(row["visits"] == sum(row[o] for o in OUTCOMES) for row in expected.values())
    day.rt.now = lambda: at(240, NEXT_DAY)  # Tuesday at noon
    period = ["--from", DAY.isoformat(), "--to", NEXT_DAY.isoformat()]

    service = CliRunner().invoke(main, ["report", "service", *period, "--json"], obj=day.rt)
    assert service.exit_code == 0, service.output
    assert {f["code"]: counted(f) for f in json.loads(service.output)["services"]} == expected
    for figures in json.loads(service.output)["services"]:  # the waits are the served visitors'
        assert figures["within_target"] + len(figures["breaches"]) == figures["served"], figures["code"]

    text = CliRunner().invoke(main, ["report", "service", *period], obj=day.rt)
    assert f"Dialihkan / transferred:                 {expected['library']['transferred']}" in text.output

    quality = CliRunner().invoke(main, ["report", "quality", *period, "--json"], obj=day.rt)
    assert quality.exit_code == 0, quality.output
    rows = json.loads(quality.output)["sections"]["walk_in"]["walk_in"]
    assert {row["service"]: counted(row) for row in rows} == expected

    sign_in(client, make_person(app, "kepala@bps.go.id", [Role.OFFICE_HEAD]))
    response = client.get(f"/laporan/walk_in.csv?periode=rentang&dari={DAY}&sampai={NEXT_DAY}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    header, *lines = list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:])))
    columns = ["Kunjungan", "Dilayani", "Tidak dilayani", "Dialihkan"]
    where = [header.index(name) for name in columns]
    shown = {line[0]: [int(line[i]) for i in where] for line in lines}
    assert shown == {
        "Perpustakaan": [expected["library"][k] for k in ("visits", *OUTCOMES)],
        "Konsultasi Statistik": [expected["consultation"][k] for k in ("visits", *OUTCOMES)],
    }

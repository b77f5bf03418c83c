"""Usage figures on both databases: recorded, counted into days alike, raw events pruned past retention."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select

from library.models import UsageDay, UsageEvent
from library.uow import UnitOfWork
from library.usage.counting import Event, Figures, Kind
from library.usage.figures import Clock, do_count_usage, do_prune_events, totals_by_publication, usage_by_day
from library.usage.read_models import usage_per_publication
from library.usage.recording import do_record_events
from tests.integration.library.migration_helpers import store_publication

CLOCK = Clock("Asia/Jakarta")
MONDAY = dt.date(2026, 6, 1)


def at(day: dt.date, seconds: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), dt.timezone(dt.timedelta(hours=7))) + dt.timedelta(
        seconds=seconds
    )


def figures(uow: UnitOfWork, first: dt.date, last: dt.date, pid: int) -> Figures:
    return totals_by_publication(usage_by_day(uow, CLOCK, first, last)).get(pid, Figures())


def test_days_counted_and_pruned_keep_their_figures(engine: Engine, uow: UnitOfWork) -> None:
    pid = store_publication(engine)
    tuesday = MONDAY + dt.timedelta(days=1)
    with uow:
        do_record_events(
            uow,
            [
                Event(at(MONDAY, 0), pid, Kind.VIEW, "a"),
                Event(at(MONDAY, 20), pid, Kind.VIEW, "a"),  # a double click
                Event(at(MONDAY, 40), pid, Kind.PAGE, "a", 1),
                Event(at(MONDAY, 50), pid, Kind.DOWNLOAD, "b"),
                Event(at(tuesday, 0), pid, Kind.VIEW, "c"),
            ],
        )
        uow.commit()
        raw = figures(uow, MONDAY, tuesday, pid)
        assert raw == Figures(views=2, reads=1, pages=1, downloads=1, sessions=2)
        assert do_count_usage(uow, CLOCK, MONDAY) == 1  # Monday only: Tuesday is "today"
        assert do_count_usage(uow, CLOCK, MONDAY) == 0  # counted once
        uow.commit()
        assert figures(uow, MONDAY, tuesday, pid) == raw
        assert do_prune_events(uow, CLOCK, dt.date(2026, 9, 15), months=3) == 0  # kept from June 1st
        assert do_prune_events(uow, CLOCK, dt.date(2026, 10, 15), months=3) == 4  # Monday's, counted
        uow.commit()
        assert uow.session.scalar(select(func.count()).select_from(UsageEvent)) == 1
        assert uow.session.scalar(select(func.count()).select_from(UsageDay)) == 1
        assert figures(uow, MONDAY, tuesday, pid) == raw
        [row] = usage_per_publication(uow, CLOCK, MONDAY, tuesday)
        assert (row.publication_id, row.office_code, row.figures) == (pid, "1872", raw)

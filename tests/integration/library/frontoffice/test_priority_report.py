"""The walk-in report counts priority visitors apart, under the same targets, on the queue's own clock."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from library.frontoffice.report import service_report
from library.models import Ticket, TicketStatus
from library.reports.walk_in import walk_in_section
from library.uow import UnitOfWork
from tests.integration.library.frontoffice.test_report import DAY, at, queues, walk_in


def test_priority_tickets_are_counted_apart_and_each_figure_is_part_of_the_services(uow: UnitOfWork) -> None:
    with uow:
        consultation = queues(uow)["consultation"]
        walk_in(uow, consultation, at(0), served=at(1), ended=at(30))
        walk_in(uow, consultation, at(2), served=at(31), ended=at(50))  # priority: 1 min after the first
        walk_in(uow, consultation, at(3), served=at(65), ended=at(70), reason="rapat")  # 15 min: breach
        walk_in(uow, consultation, at(4), ended=at(80), status=TicketStatus.NO_SHOW)  # priority, not served
        tickets = uow.session.scalars(select(Ticket).order_by(Ticket.number)).all()
        tickets[1].priority, tickets[3].priority = "elderly", "disability"
        uow.session.flush()
        report = service_report(uow, "1872", DAY, DAY)
    everyone = next(f for f in report.services if f.code == "consultation")
    priority = next(f for f in report.priority if f.code == "consultation")
    assert (everyone.visits, everyone.served, everyone.within_target, everyone.not_served) == (4, 3, 2, 1)
    assert (priority.visits, priority.served, priority.within_target, priority.not_served) == (2, 1, 1, 1)
    assert priority.visits == priority.served + priority.not_served + priority.transferred
    assert (priority.target_minutes, priority.median_wait_minutes, priority.breaches) == (10, 1.0, ())
    library = next(f for f in report.priority if f.code == "library")
    assert (library.visits, library.within_target_percent, library.softcopies) == (0, None, None)


def test_the_report_section_has_a_priority_table_of_the_same_columns(uow: UnitOfWork) -> None:
    with uow:
        library = queues(uow)["library"]
        walk_in(uow, library, at(0), served=at(2), ended=at(10))
        uow.session.scalars(select(Ticket)).one().priority = "pregnant"
        uow.session.flush()
        period = SimpleNamespace(start=DAY, end=DAY)  # all the section reads of its scope
        section = walk_in_section(uow, SimpleNamespace(office_code="1872", period=period))  # type: ignore[arg-type]
    tables = {table.key: table for table in section.tables}
    assert [c.key for c in tables["walk_in_priority"].columns] == [c.key for c in tables["walk_in"].columns]
    rows = {row[0].code: row for row in tables["walk_in_priority"].rows}  # type: ignore[union-attr]
    assert rows["library"][2:5] == (1, 1, 1)

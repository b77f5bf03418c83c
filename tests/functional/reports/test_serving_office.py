"""Work is counted by the office that did it, whatever office issued the publication.

An online user of Kota Metro's site asks for a copy of a Tulang Bawang publication: the request,
the copy and the download are Kota Metro's work, in its report and on its stamp, and nowhere in
Tulang Bawang's. The ledger summed per office equals every report's copies.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from library.clock import office_today
from library.models import AccessLevel, Delivery, Office, Publication, ReadingSession, SoftcopyRequest
from library.permissions import SYSTEM
from library.reports.periods import PeriodKind, period_of
from library.reports.plain import plain_table
from library.reports.report import QualityReport, quality_report
from library.reports.scope import ReportRules
from runtime.root import Runtime
from tests.functional.accounts.helpers import make_person, sign_in, submit
from tests.functional.softcopy.helpers import ask, publication_id

OTHER = "1805"  # BPS Kabupaten Tulang Bawang: issues the publication, serves nobody here


def _report(rt: Runtime, office: str) -> QualityReport:
    with rt.uow() as uow:
        month = period_of(PeriodKind.MONTH, office_today("Asia/Jakarta", rt.now()))
        rules = ReportRules(rt.calendar(), rt.settings.request_sla_working_days)
        return quality_report(uow, SYSTEM, office, month, now=rt.now(), rules=rules)


def test_a_copy_of_another_offices_publication_is_the_serving_offices_work(
    app: Flask, client: FlaskClient
) -> None:
    rt: Runtime = app.extensions["pustaka"]
    rt.jobs.immediate = True
    pub = publication_id(app, AccessLevel.OPEN)
    with rt.transaction() as uow:
        other = uow.session.scalar(select(Office.id).where(Office.code == OTHER))
        assert other is not None
        uow.session.execute(update(Publication).where(Publication.id == pub).values(issuing_office_id=other))
    sign_in(client, make_person(app, "ani@example.id"))
    number = ask(client, pub).headers["Location"].rsplit("/", 1)[-1]
    got = submit(client, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    assert got.status_code == 200
    got.close()
    with rt.uow() as uow:
        request = uow.session.scalars(select(SoftcopyRequest).where(SoftcopyRequest.number == number)).one()
        copy = uow.session.scalars(select(Delivery).where(Delivery.delivery_id == request.delivery_id)).one()
    assert request.office_code == copy.office_code == rt.settings.office

    for office in (rt.settings.office, OTHER):
        report = _report(rt, office)
        (online,) = plain_table(report.table("online"))
        (downloads,) = plain_table(report.table("downloads"))
        copies = sum(int(row["copies"]) for row in plain_table(report.table("copies_by_channel")))
        starts_at, ends_before = report.period.bounds(report.timezone)
        with rt.uow() as uow:
            in_ledger = uow.session.scalar(
                select(func.count(Delivery.id)).where(
                    Delivery.office_code == office,
                    Delivery.delivered_at >= starts_at,
                    Delivery.delivered_at < ends_before,
                )
            )
        mine = office == rt.settings.office
        assert online["requests"] == (1 if mine else 0), office
        assert downloads["downloads"] == (1 if mine else 0), office
        assert copies == in_ledger and (copies >= 1) == mine, (office, copies, in_ledger)


def test_reading_another_offices_publication_is_the_serving_offices_session(
    app: Flask, client: FlaskClient
) -> None:
    rt: Runtime = app.extensions["pustaka"]
    pub = publication_id(app, AccessLevel.OPEN)
    with rt.transaction() as uow:
        other = uow.session.scalar(select(Office.id).where(Office.code == OTHER))
        uow.session.execute(update(Publication).where(Publication.id == pub).values(issuing_office_id=other))
    sign_in(client, make_person(app, "budi@example.id"))
    assert client.get(f"/baca/{pub}").status_code == 200
    with rt.uow() as uow:
        offices = uow.session.scalars(
            select(ReadingSession.office_code).where(ReadingSession.publication_id == pub)
        ).all()
    assert offices == [rt.settings.office]

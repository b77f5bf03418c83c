"""`pustaka consultations close-silent`: reminds, then closes, and says which; a second run does nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import select

import catalog_data
from cli import main
from library.accounts.users import check_create_user
from library.catalogue.offices import sync_offices
from library.consultation.consultations import ConsultationQuestion, check_open_consultation
from library.consultation.rules import ConsultationRules
from library.consultation.staff import check_staff_reply
from library.db import make_engine, make_session_factory
from library.models import Consultation, ConsultationAction, Role
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.settings import Settings
from library.uow import UnitOfWork
from library.working_days import Calendar
from runtime.root import Runtime

ASKED_AT = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)  # Monday 10:00 WIB at Kota Metro: 7 days
FORM = ConsultationQuestion(
    topic="Data inflasi",
    question="Berapa inflasi bulanan Kota Metro tahun 2025?",
    data_subject="Inflasi",
    data_region="Kota Metro",
    data_period="2025",
)


def prepared(tmp_path: Path) -> tuple[Settings, str]:
    """A fresh instance with one consultation where the consultant asked the user for more."""
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance")
    CliRunner().invoke(main, ["db", "upgrade"], obj=Runtime(settings))
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        sync_offices(uow, catalog_data.load_offices())
        people = [
            check_create_user(
                uow,
                SYSTEM,
                email=email,
                name=name,
                roles=roles,
                password="kopi tubruk pagi hari",
                email_verified=True,
                now=utcnow(),
            )
            for email, name, roles in [
                ("ani@example.id", "Ani", (Role.READER,)),
                ("budi@example.id", "Budi", (Role.CONSULTANT,)),
            ]
        ]
        rules = ConsultationRules(office_code="1872", calendar=Calendar.of("Asia/Jakarta"))
        number = check_open_consultation(uow, people[0], FORM, rules, ASKED_AT)
        check_staff_reply(
            uow,
            people[1],
            number,
            "Inflasi umum atau per kelompok?",
            ASKED_AT,
            action=ConsultationAction.ASKED,
        )
        uow.commit()
    engine.dispose()
    return settings, number


def close_silent(settings: Settings, now: dt.datetime) -> Result:
    """Run `pustaka consultations close-silent` at this moment."""
    return CliRunner().invoke(main, ["consultations", "close-silent"], obj=Runtime(settings, now=lambda: now))


def test_the_command_reminds_then_closes_and_a_second_run_does_nothing(tmp_path: Path) -> None:
    settings, number = prepared(tmp_path)
    quiet = close_silent(settings, ASKED_AT + dt.timedelta(days=4))
    reminded = close_silent(settings, ASKED_AT + dt.timedelta(days=5))
    closed = close_silent(settings, ASKED_AT + dt.timedelta(days=7))
    again = close_silent(settings, ASKED_AT + dt.timedelta(days=8))
    assert [r.exit_code for r in (quiet, reminded, closed, again)] == [0, 0, 0, 0]
    assert "reminded: 0" in quiet.output and "closed automatically: 0" in quiet.output
    assert f"reminded: 1 {number}" in reminded.output
    assert f"closed automatically: 1 {number}" in closed.output
    assert "reminded: 0" in again.output and "closed automatically: 0" in again.output
    outbox = sorted((settings.instance_path / "outbox").iterdir())
    assert len(outbox) == 2


def test_the_job_processes_remind_and_close_with_their_periodic_recovery(tmp_path: Path) -> None:
    settings, number = prepared(tmp_path)
    for days in (5, 7):
        rt = Runtime(settings, now=lambda days=days: ASKED_AT + dt.timedelta(days=days))
        try:
            rt.jobs.recover()
        finally:
            rt.close()
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        row = uow.session.scalars(select(Consultation).where(Consultation.number == number)).one()
        found = (row.status, [e.action for e in row.events][-2:])
    engine.dispose()
    assert found == ("closed", ["reminded", "closed_silent"])

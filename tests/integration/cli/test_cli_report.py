"""`pustaka report service`: the walk-in figures as text and JSON, bad periods and offices named."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from cli import main
from library.db import make_engine, make_session_factory
from library.frontoffice.queue.numbering import issue_ticket
from library.models import Office, QueueService, TicketStatus, Visit
from library.settings import Settings
from library.uow import UnitOfWork
from runtime.root import Runtime

NINE = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def settings(tmp_path: Path, upgraded_instance: Path) -> Settings:
    """A copy of the upgraded instance (offices synced) with two library visits on 23 November 2026."""
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance")
    shutil.copytree(upgraded_instance, settings.instance_path)
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        library = uow.session.scalars(
            select(QueueService).join(Office).where(Office.code == "1872", QueueService.code == "library")
        ).one()
        for number, (served, reason) in enumerate([(2, ""), (9, "antrean panjang")]):
            visit = Visit(
                office_id=library.office_id,
                status_token=f"t{number}",
                name="Pengunjung",
                sex="male",
                age_band="17_25",
                occupation="student",
                education="high_school",
                day=dt.date(2026, 11, 23),
                arrived_at=NINE,
            )
            uow.session.add(visit)
            ticket = issue_ticket(uow, visit, library, NINE)
            ticket.served_at = NINE + dt.timedelta(minutes=served)
            ticket.status, ticket.breach_reason = TicketStatus.SERVING.value, reason
        uow.commit()
    engine.dispose()
    return settings


def report(settings: Settings, *args: str) -> Result:
    """Run `pustaka report service` with the arguments."""
    return CliRunner().invoke(main, ["report", "service", *args], obj=Runtime(settings))


def test_the_report_prints_each_service_with_its_breaches(settings: Settings) -> None:
    result = report(settings, "--from", "2026-11-23", "--to", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "Perpustakaan / Library" in result.output
    assert "Tepat waktu / within target:             1 (50.0 %)" in result.output
    assert "2026-11-23 P-002: 9.0 menit/min, alasan/reason: antrean panjang" in result.output
    assert "Konsultasi Statistik / Statistical consultation" in result.output


def test_the_report_as_json_gives_the_same_figures(settings: Settings) -> None:
    result = report(settings, "--from", "2026-11-23", "--to", "2026-11-30", "--office", "1872", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    library = next(s for s in data["services"] if s["code"] == "library")
    assert (library["visits"], library["within_target"], library["within_target_percent"]) == (2, 1, 50.0)
    assert library["breaches"] == [
        {"day": "2026-11-23", "code": "P-002", "waited_minutes": 9.0, "reason": "antrean panjang"}
    ]
    assert (data["start"], data["end"]) == ("2026-11-23", "2026-11-30")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-11-23", "--to", "2026-11-22"], "ends before it starts"),
        (["--from", "2026-11-23", "--to", "2026-11-23", "--office", "0000"], "no office with the code 0000"),
        (["--from", "23/11/2026", "--to", "2026-11-23"], "Invalid value for '--from'"),
        (["--to", "2026-11-23"], "Missing option '--from'"),
    ],
)
def test_a_wrong_period_or_office_gets_one_clear_line(
    settings: Settings, args: list[str], message: str
) -> None:
    result = report(settings, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def quality(settings: Settings, *args: str) -> Result:
    """Run `pustaka report quality` with the arguments, on 2 December 2026."""
    now = dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)
    return CliRunner().invoke(main, ["report", "quality", *args], obj=Runtime(settings, now=lambda: now))


def test_the_quality_report_prints_every_table_in_the_offices_language(settings: Settings) -> None:
    result = quality(settings, "--period", "month", "--date", "2026-11-23")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Laporan kualitas pelayanan", "BPS Kota Metro (1872), November 2026"]
    assert "== Layanan tatap muka ==" in lines
    assert "  Layanan                               Perpustakaan" in lines
    assert "  Tepat waktu (%)                       50,0" in lines
    assert "  Alasan yang diberikan  antrean panjang" in lines
    assert "  Tidak ada jawaban survei dalam periode ini." in lines


def test_the_quality_report_as_json_names_its_period(settings: Settings) -> None:
    result = quality(settings, "--from", "2026-11-23", "--to", "2026-11-29", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period"] == {
        "kind": "range",
        "start": "2026-11-23",
        "end": "2026-11-29",
        "days": 7,
        "working_days": 5,
    }
    assert data["sections"]["walk_in"]["walk_in_breaches"] == [
        {
            "day": "2026-11-23",
            "service": "library",
            "ticket": "P-002",
            "waited_minutes": 9.0,
            "reason": "antrean panjang",
        }
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-11-23"], "Give --from and --to, or --period"),
        (
            ["--period", "month", "--from", "2026-11-23", "--to", "2026-11-30"],
            "either --from and --to, or --period",
        ),
        (["--period", "week"], "Invalid value for '--period'"),
        (["--from", "2026-11-23", "--to", "2026-11-22"], "ends before it starts"),
        (["--period", "year", "--office", "0000"], "no office with the code 0000"),
    ],
)
def test_a_quality_report_without_a_clear_period_or_office_gets_one_clear_line(
    settings: Settings, args: list[str], message: str
) -> None:
    result = quality(settings, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output

"""Reports on the service standards: how the walk-in targets were kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import click

from library.frontoffice.report import ServiceFigures, ServiceReport, service_report
from webapp.cli.context import clear_errors, pass_runtime
from webapp.runtime import Runtime

DAY = click.DateTime(formats=["%Y-%m-%d"])
CLOCKS = {
    "guest_book": "sejak mengisi buku tamu / from the guest book",
    "previous_finished": "sejak pengunjung sebelumnya selesai / from the previous visitor's end",
}


@click.group("report")
def report_group() -> None:
    """Reports on the service standards."""


@report_group.command("service")
@click.option("--from", "start", required=True, type=DAY, help="First day, YYYY-MM-DD (office time).")
@click.option("--to", "end", required=True, type=DAY, help="Last day, YYYY-MM-DD (included).")
@click.option("--office", "office_code", default=None, help="Office code (default: PUSTAKA_OFFICE).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@pass_runtime
def service(
    rt: Runtime, start: dt.datetime, end: dt.datetime, office_code: str | None, as_json: bool
) -> None:
    """Print per walk-in service: visits, served within target, waits, breaches, softcopies."""
    with clear_errors(), rt.uow() as uow:
        report = service_report(uow, office_code or rt.settings.office, start.date(), end.date())
    if as_json:
        click.echo(json.dumps(_as_json(report), indent=2, ensure_ascii=False))
        return
    click.echo(
        f"Laporan layanan tatap muka / Walk-in service report: {report.office_name} ({report.office_code}), "
        f"{report.start.isoformat()} s.d./to {report.end.isoformat()}"
    )
    for figures in report.services:
        click.echo("")
        for line in _lines(figures):
            click.echo(line)


def _lines(f: ServiceFigures) -> list[str]:
    """Return one service's figures as lines of text."""
    target = (
        f"{f.target_minutes} menit/minutes {CLOCKS.get(f.clock or '', '')}"
        if f.target_minutes
        else "tidak ada / none"
    )
    percent = f.within_target_percent
    lines = [
        f"{f.name} / {f.name_en}",
        f"  Target / target:                         {target}",
        f"  Kunjungan / visits:                      {f.visits}",
        f"  Dilayani / served:                       {f.served}",
        f"  Tepat waktu / within target:             {f.within_target}"
        + (f" ({percent:.1f} %)" if percent is not None else ""),
        f"  Tidak dilayani / not served:             {f.not_served}",
        f"  Median tunggu / median wait:             {_minutes(f.median_wait_minutes)}",
        f"  Persentil 90 tunggu / 90th pct. wait:    {_minutes(f.p90_wait_minutes)}",
        f"  Pelanggaran target / breaches:           {len(f.breaches)}",
    ]
    lines += [
        f"    {b.day.isoformat()} {b.code}: {b.waited_minutes:.1f} menit/min, "
        f"alasan/reason: {b.reason or '(tidak diisi / none given)'}"
        for b in f.breaches
    ]
    if f.softcopies is not None:
        lines.append(f"  Salinan untuk pengunjung / softcopies:   {f.softcopies}")
    return lines


def _minutes(value: float | None) -> str:
    """Return minutes as text, or a dash when there is nothing to measure."""
    return "-" if value is None else f"{value:.1f} menit/min"


def _as_json(report: ServiceReport) -> dict[str, object]:
    """Return the report as plain JSON values."""
    data = dataclasses.asdict(report)
    data["start"], data["end"] = report.start.isoformat(), report.end.isoformat()
    for figures, plain in zip(report.services, data["services"], strict=True):
        plain["within_target_percent"] = figures.within_target_percent
        for breach in plain["breaches"]:
            breach["day"] = breach["day"].isoformat()
    return data

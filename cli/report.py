"""Reports on the service standards: how the walk-in targets were kept, and the whole quality report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import click
from babel.support import Translations

from cli.context import clear_errors, pass_runtime
from library.catalogue.search_terms import check_hide_search_term, check_show_search_term, hidden_search_terms
from library.frontoffice.report import ServiceFigures, ServiceReport, service_report
from library.permissions import SYSTEM
from library.reports.periods import PeriodKind, period_of, range_period
from library.reports.plain import plain_report
from library.reports.report import QualityReport, quality_report
from library.reports.scope import ReportRules
from library.reports.words import Writer, period_words, show_report
from runtime.message_catalogue import compile_catalogues
from runtime.root import Runtime

DAY = click.DateTime(formats=["%Y-%m-%d"])
CLOCKS = {
    "guest_book": "sejak mengisi buku tamu / from the guest book",
    "previous_finished": "sejak pengunjung sebelumnya selesai / from the previous visitor's end",
}


@click.group("report")
def report_group() -> None:
    """Reports on the service standards."""


@report_group.command("hide-term")
@click.argument("term", required=False)
@click.option("--show", is_flag=True, help="Let the term appear in the top searches again.")
@click.option("--office", "office_code", default=None, help="Office code (default: PUSTAKA_OFFICE).")
@pass_runtime
def hide_term(rt: Runtime, term: str | None, show: bool, office_code: str | None) -> None:
    """Keep a search term out of the report's top searches (spam, an unfit word), or list those hidden."""
    office = office_code or rt.settings.office
    if term is None:
        with clear_errors(), rt.uow() as uow:
            hidden = hidden_search_terms(uow, office)
        click.echo("\n".join(hidden) if hidden else "No search term is hidden.")
        return
    if show:
        with clear_errors(), rt.transaction() as uow:
            check_show_search_term(uow, SYSTEM, office, term)
        click.echo(f"'{term}' may appear in the top searches again.")
        return
    with clear_errors(), rt.transaction() as uow:
        counted = check_hide_search_term(uow, SYSTEM, office, term, rt.now())
    click.echo(f"'{counted}' is hidden from the top searches (pustaka report hide-term --show to undo).")


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


@report_group.command("quality")
@click.option("--from", "start", type=DAY, help="First day, YYYY-MM-DD (office time), with --to.")
@click.option("--to", "end", type=DAY, help="Last day, YYYY-MM-DD (included).")
@click.option(
    "--period",
    "kind",
    type=click.Choice(["day", "month", "quarter", "year"]),
    help="Instead of --from/--to: the day, month, quarter or year holding --date.",
)
@click.option("--date", "day", type=DAY, help="A day in the --period (default: today at the office).")
@click.option("--office", "office_code", default=None, help="Office code (default: PUSTAKA_OFFICE).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@pass_runtime
def quality(
    rt: Runtime,
    start: dt.datetime | None,
    end: dt.datetime | None,
    kind: str | None,
    day: dt.datetime | None,
    office_code: str | None,
    as_json: bool,
) -> None:
    """Print the service quality report: walk-ins, requests, copies, searches, IKM."""
    if kind and (start or end):
        raise click.UsageError("Give either --from and --to, or --period (with --date).")
    if not kind and not (start and end):
        raise click.UsageError("Give --from and --to, or --period month (day, quarter, year) with --date.")
    rules = ReportRules(rt.calendar(), rt.settings.request_sla_working_days)
    with clear_errors():
        if kind:
            period = period_of(PeriodKind(kind), day.date() if day else rt.today())
        else:
            assert start is not None and end is not None
            period = range_period(start.date(), end.date())
        with rt.uow() as uow:
            report = quality_report(
                uow, SYSTEM, office_code or rt.settings.office, period, now=rt.now(), rules=rules
            )
    if as_json:
        click.echo(json.dumps(plain_report(report), indent=2, ensure_ascii=False))
        return
    for line in _quality_lines(report, _writer(rt)):
        click.echo(line)


def _writer(rt: Runtime) -> Writer:
    """Return a writer in the deployment's language, translated from the catalogue."""
    language = "en" if rt.settings.default_locale == "en" else "id"
    folder = compile_catalogues(rt.settings.instance_path / "translations")
    return Writer(language, Translations.load(str(folder), [language]).gettext)


def _quality_lines(report: QualityReport, writer: Writer) -> list[str]:
    """Return the report as lines of text: each table's rows, one figure a line."""
    lines = [
        writer.translate("Service quality report"),
        f"{report.office_name} ({report.office_code}), {period_words(report.period, writer)}",
    ]
    for section in show_report(report, writer):
        lines += ["", f"== {section.title} =="]
        for table in section.tables:
            lines += ["", f"{table.title}:"]
            if not table.rows:
                lines.append(f"  {table.empty}")
            for n, row in enumerate(table.rows):
                if n:
                    lines.append("")
                width = max(len(h) for h in table.headings)
                lines += [f"  {h.ljust(width)}  {cell}" for h, cell in zip(table.headings, row, strict=True)]
    return lines


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
        f"  Dialihkan / transferred:                 {f.transferred}",
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

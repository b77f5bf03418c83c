"""The service quality report (`/laporan`) for the office head and administrators: page, CSV, PDF.

Views parse the period from the address, call `quality_report` and write its figures: the
page in the visitor's language, the CSV files and the PDF in Indonesian, the office's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from library import clock as dates
from library.clock import office_zone
from library.errors import InvalidField, InvalidInput
from library.i18n import N_
from library.models import Role
from library.reports import (
    Period,
    PeriodKind,
    QualityReport,
    ReportRules,
    period_of,
    quality_report,
    range_period,
)
from webapp.auth import current_actor, role_required
from webapp.current_runtime import runtime
from webapp.i18n import error_message
from webapp.report_words import ReportDocument, Writer, period_words, show_report, show_table
from webapp.reports.charts import bar_chart
from webapp.sending import content_disposition
from webapp.spreadsheet import BOM, SEMICOLON, SEPARATOR, csv_line, delimiter_of

bp = Blueprint("reports", __name__, url_prefix="/laporan")
# The report's top searches include this process's searches counted in memory a moment ago.
bp.before_request(lambda: runtime().write_counts())
KINDS = {  # the address's words for the kinds of period
    "hari": PeriodKind.DAY,
    "bulan": PeriodKind.MONTH,
    "triwulan": PeriodKind.QUARTER,
    "tahun": PeriodKind.YEAR,
    "rentang": PeriodKind.RANGE,
}
WORDS = {kind: word for word, kind in KINDS.items()}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Choice:
    """The period as the form shows it: its kind's word and the dates typed."""

    kind: str
    day: str
    start: str
    end: str


@bp.get("/")
@role_required(Role.OFFICE_HEAD)
def index() -> tuple[str, int]:
    """Show the report of a period: every section's tables, their charts and downloads."""
    choice = _choice()
    report, error, field = None, None, None
    try:
        report = _report(_period(choice))
    except InvalidInput as exc:
        error, field = error_message(exc), getattr(exc, "field", None)
    writer = _writer(str(get_locale() or "id"))
    sections = show_report(report, writer) if report else ()
    return render_template(
        "reports/index.html",
        report=report,
        sections=sections,
        charts={chart.key: bar_chart(chart) for s in sections for t in s.tables for chart in t.charts},
        period_text=period_words(report.period, writer) if report else "",
        choice=choice,
        kinds=_kind_labels(),
        args=_args(report.period) if report else {},
        around=_around(report.period) if report else {},
        error=error,
        error_field=field,
        semicolon_args={**_args(report.period), SEPARATOR: SEMICOLON} if report else {},
    ), 400 if error else 200


@bp.get("/<key>.csv")
@role_required(Role.OFFICE_HEAD)
def table_csv(key: str) -> Response:
    """Download one table of the report as CSV (UTF-8 with BOM; `pemisah=titik-koma` for ';')."""
    report = _chosen_report()
    table = next((t for s in report.sections for t in s.tables if t.key == key), None)
    if table is None:
        abort(404)
    delimiter = delimiter_of(request.args)
    section = next(s for s in report.sections if table in s.tables)
    with force_locale("id"):  # the office's spreadsheets are in Indonesian whatever the page language
        shown = show_table(table, section, _writer("id", decimal_sign="," if delimiter == ";" else "."))

    def lines() -> Iterator[str]:
        yield BOM + csv_line(shown.headings, delimiter)
        for row in shown.rows:
            yield csv_line(row, delimiter)

    name = f"laporan-{key.replace('_', '-')}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.csv"
    return Response(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition(name)},
    )


@bp.get("/laporan.pdf")
@role_required(Role.OFFICE_HEAD)
def report_pdf() -> Response:
    """Download the whole report as a PDF in Indonesian, to send to the province office."""
    from webapp.reports.pdf import render_report  # reportlab loads when a process first prints one

    report = _chosen_report()
    with force_locale("id"):
        document = _document(report, _writer("id"))
    name = (
        f"laporan-pelayanan-{report.office_code}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.pdf"
    )
    return Response(
        render_report(document),
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition(name)},
    )


def _document(report: QualityReport, writer: Writer) -> ReportDocument:
    """Return the PDF's content in the writer's language."""
    zone = office_zone(report.timezone)
    period = period_words(report.period, writer)
    made = dates.moment_text(report.generated_at, writer.language, zone, "long")
    return ReportDocument(
        title=_("Service quality report"),
        office=f"{report.office_name} ({report.office_code})",
        period=period,
        details=(
            _("Times are the office's (%(zone)s).", zone=report.timezone),
            _(
                "Working days in the period: %(days)s of %(all)s.",
                days=report.working_days,
                all=report.period.days,
            ),
            _("Made by Pustaka on %(moment)s.", moment=made),
        ),
        footer=f"{report.office_name} \u00b7 {_('Service quality report')} \u00b7 {period}",
        page_word=_("Page"),
        sections=show_report(report, writer),
    )


def _writer(language: str, decimal_sign: str | None = None) -> Writer:
    """Return the writer of cells in a language (translated by the current locale)."""
    return Writer(language="en" if language == "en" else "id", translate=_, decimal_sign=decimal_sign)


def _chosen_report() -> QualityReport:
    """Return the report the address asks for (a bad period is an error page, not a cut file)."""
    return _report(_period(_choice()))


def _report(period: Period) -> QualityReport:
    """Compute the report of the deployment's office over the period."""
    app_state = runtime()
    rules = ReportRules(app_state.calendar(), app_state.settings.request_sla_working_days)
    with app_state.uow() as uow:
        return quality_report(
            uow, current_actor(), app_state.settings.office, period, now=app_state.now(), rules=rules
        )


def _choice() -> Choice:
    """Return the period as the address gives it (a month holding today when it gives none)."""
    args = request.args
    return Choice(
        kind=args.get("periode", "bulan").strip(),
        day=args.get("tanggal", "").strip()[:10],
        start=args.get("dari", "").strip()[:10],
        end=args.get("sampai", "").strip()[:10],
    )


def _period(choice: Choice) -> Period:
    """Return the period chosen; refuse a kind or a date that cannot be read, naming its field."""
    kind = KINDS.get(choice.kind)
    if kind is None:
        raise InvalidField("periode", N_("Choose a day, a month, a quarter, a year or a range of days."))
    if kind is PeriodKind.RANGE:
        return range_period(_day(choice.start, "dari"), _day(choice.end, "sampai"))
    day = _day(choice.day, "tanggal") if choice.day else runtime().today()
    return period_of(kind, day)


def _day(text: str, field: str) -> dt.date:
    """Return a date typed as YYYY-MM-DD, between the years 1900 and 2999."""
    if not text:
        raise InvalidField(field, N_("Give the first and the last day of the range."))
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidField(field, N_("Write the date as YYYY-MM-DD, for example 2026-11-30.")) from None
    if not 1900 <= day.year <= 2999:
        raise InvalidField(field, N_("Write a date between the years 1900 and 2999."))
    return day


def _args(period: Period) -> dict[str, str]:
    """Return the address arguments that name a period (for its downloads and links)."""
    if period.kind is PeriodKind.RANGE:
        return {
            "periode": WORDS[period.kind],
            "dari": period.start.isoformat(),
            "sampai": period.end.isoformat(),
        }
    return {"periode": WORDS[period.kind], "tanggal": period.start.isoformat()}


def _around(period: Period) -> dict[str, dict[str, str]]:
    """Return the arguments of the periods before and after this one."""
    around = {}
    for name, step in (("previous", period.previous), ("next", period.next)):
        try:
            around[name] = _args(step())
        except (InvalidInput, ValueError, OverflowError):
            continue  # past the calendar's ends
    return around


def _kind_labels() -> dict[str, str]:
    """Return the words for each kind of period."""
    return {
        "hari": _("Day"),
        "bulan": _("Month"),
        "triwulan": _("Quarter"),
        "tahun": _("Year"),
        "rentang": _("Range of days"),
    }

"""The service quality report (`/laporan`) for the office head and administrators: page, CSV, PDF.

Views parse the period from the address, call `quality_report` and write its figures: the
page in the visitor's language, the CSV files and the PDF in Indonesian, the office's.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response, abort, render_template, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from library import clock as dates
from library.clock import office_zone
from library.errors import InvalidInput
from library.models import Role
from library.reports.periods import Period
from library.reports.report import QualityReport, quality_report
from library.reports.scope import ReportRules
from library.reports.words import ReportDocument, Writer, period_words, show_report, show_table
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.i18n import error_message
from webapp.periods import around, chosen, kind_labels, period_args, period_chosen
from webapp.reports.blueprint import bp
from webapp.reports.charts import bar_chart
from webapp.sending import content_disposition
from webapp.spreadsheet import BOM, SEMICOLON, SEPARATOR, csv_line, delimiter_of

# The report's top searches include this process's searches counted in memory a moment ago.
bp.before_request(lambda: current_runtime().write_counts())


@bp.get("/")
@role_required(Role.OFFICE_HEAD)
def index() -> tuple[str, int]:
    """Show the report of a period: every section's tables, their charts and downloads."""
    choice = chosen()
    report, error, field = None, None, None
    try:
        report = _report(period_chosen(choice))
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
        kinds=kind_labels(),
        args=period_args(report.period) if report else {},
        around=around(report.period) if report else {},
        error=error,
        error_field=field,
        semicolon_args={**period_args(report.period), SEPARATOR: SEMICOLON} if report else {},
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
    return _report(period_chosen(chosen()))


def _report(period: Period) -> QualityReport:
    """Compute the report of the deployment's office over the period."""
    rt = current_runtime()
    rules = ReportRules(rt.calendar(), rt.settings.request_sla_working_days)
    with rt.uow() as uow:
        return quality_report(uow, current_actor(), rt.settings.office, period, now=rt.now(), rules=rules)

"""The librarian's desk: stock-taking sessions, scanned with a USB scanner, a phone's camera or by hand."""

from __future__ import annotations

from functools import partial

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from library.collection.stocktake_report import StocktakeReport, report_csv, report_pdf, stocktake_report
from library.collection.stocktakes import (
    ScanResult,
    check_close_stocktake,
    check_pause_stocktake,
    check_resume_stocktake,
    check_scan,
    check_start_stocktake,
    get_stocktake,
    list_stocktakes,
    locations,
)
from library.errors import InvalidInput
from library.i18n import N_
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.desk.item_forms import BarcodeForm, StocktakeForm
from webapp.forms import ActionForm, refusals
from webapp.sending import content_disposition

PAGE = "/opname"
ONE = PAGE + "/<int:stocktake_id>"
CAMERA = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"  # the phone reads barcodes
SAID = {
    "seen": N_("Counted: %(barcode)s, %(title)s."),
    "again": N_("Already counted: %(barcode)s."),
    "misplaced": N_("Counted, but it belongs at %(location)s: %(barcode)s, %(title)s."),
    "unknown": N_("No copy has the barcode %(barcode)s: noted as unknown."),
}


@bp.get(PAGE)
@role_required(Role.LIBRARIAN)
def stocktakes() -> tuple[str, int]:
    """List the stock-takings, newest first, and the form to start one."""
    return _list_page(_start_form(), 200)


@bp.post(PAGE)
@role_required(Role.LIBRARIAN)
def start_stocktake() -> Response | tuple[str, int]:
    """Start a stock-taking of one location, or of the whole collection."""
    form = _start_form()
    if form.validate_on_submit():
        with refusals(form, catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
            made = check_start_stocktake(uow, current_actor(), form.location.data or "")
        if not attempt.failed:
            return redirect(url_for("desk.stocktake", stocktake_id=made.id), code=303)
    return _list_page(form, 400)


@bp.get(ONE)
@role_required(Role.LIBRARIAN)
def stocktake(stocktake_id: int) -> Response:
    """Show the scan page: the barcode field (focused), the running counts, pause, resume and close."""
    with current_runtime().uow() as uow:
        session = get_stocktake(uow, current_actor(), stocktake_id)
    page = render_template("desk/stocktake.html", stocktake=session, form=BarcodeForm(), action=ActionForm())
    return Response(page, content_type="text/html; charset=utf-8", headers={"Permissions-Policy": CAMERA})


@bp.post(ONE + "/pindai")
@role_required(Role.LIBRARIAN)
def stocktake_scan(stocktake_id: int) -> Response | tuple[Response, int]:
    """Count one barcode: JSON for the page's script, else back to the scan page with what was found."""
    form, wants_json = BarcodeForm(), request.accept_mimetypes.best == "application/json"
    result: ScanResult | None = None
    with refusals(form, catch=InvalidInput) as attempt:
        if not form.validate_on_submit():
            raise InvalidInput(N_("The form has expired: scan the barcode again."))
        with current_runtime().transaction() as uow:
            result = check_scan(uow, current_actor(), stocktake_id, form.barcode.data or "")
    message = attempt.message if attempt.failed else _said(result)
    if wants_json:
        body = {"ok": not attempt.failed, "message": message, "outcome": result.outcome if result else ""}
        counts = result.stocktake.counts.__dict__ if result else {}
        return jsonify(body | {"counts": counts}), attempt.status if attempt.failed else 200
    flash(message, "error" if attempt.failed else "success")
    return redirect(url_for("desk.stocktake", stocktake_id=stocktake_id), code=303)


@bp.post(ONE + "/jeda")
@role_required(Role.LIBRARIAN)
def stocktake_pause(stocktake_id: int) -> Response:
    """Pause a stock-taking."""
    return _move(stocktake_id, check_pause_stocktake, _("The stock-taking is paused."))


@bp.post(ONE + "/lanjut")
@role_required(Role.LIBRARIAN)
def stocktake_resume(stocktake_id: int) -> Response:
    """Resume a paused stock-taking."""
    return _move(stocktake_id, check_resume_stocktake, _("The stock-taking goes on."))


@bp.get(ONE + "/tutup")
@role_required(Role.LIBRARIAN)
def stocktake_confirm(stocktake_id: int) -> tuple[str, int]:
    """Ask the librarian to confirm closing, saying what closing will do."""
    with current_runtime().uow() as uow:
        session = get_stocktake(uow, current_actor(), stocktake_id)
    return render_template("desk/stocktake_close.html", stocktake=session, action=ActionForm()), 200


@bp.post(ONE + "/tutup")
@role_required(Role.LIBRARIAN)
def stocktake_close(stocktake_id: int) -> Response:
    """Close a stock-taking: unseen copies go missing, found ones back on the shelf."""
    close = partial(check_close_stocktake, now=current_runtime().now())
    return _move(stocktake_id, close, _("The stock-taking is closed; its report is ready."))


@bp.get(ONE + "/laporan.csv", defaults={"kind": "csv"})
@bp.get(ONE + "/laporan.pdf", defaults={"kind": "pdf"})
@role_required(Role.LIBRARIAN)
def stocktake_report_file(stocktake_id: int, kind: str) -> Response:
    """Send the stock-taking's report (missing, misplaced, unknown) as CSV or PDF, in Indonesian."""
    with current_runtime().uow() as uow:
        report = stocktake_report(uow, current_actor(), stocktake_id)
    name = f"opname-{stocktake_id}.{kind}"
    with force_locale("id"):  # the office's records are in Indonesian whatever the page language
        body, mime = _report_body(report, kind)
    return Response(body, content_type=mime, headers={"Content-Disposition": content_disposition(name)})


def _report_body(report: StocktakeReport, kind: str) -> tuple[bytes | str, str]:
    """Return the report's bytes and type, its words in the current language."""
    headings = [_("Finding"), _("Barcode"), _("Shelf mark"), _("Title"), _("Location")]
    kinds = {"missing": _("Missing"), "misplaced": _("Misplaced"), "unknown": _("Unknown barcode")}
    if kind == "csv":
        return report_csv(report, headings, kinds), "text/csv; charset=utf-8"
    c = report.stocktake.counts
    title = _(
        "Stock-taking %(id)s, %(place)s: %(seen)s of %(expected)s seen, %(missing)s missing, "
        "%(misplaced)s misplaced, %(unknown)s unknown",
        id=report.stocktake.id,
        place=report.stocktake.location or _("whole collection"),
        seen=c.seen,
        expected=c.expected,
        missing=c.missing,
        misplaced=c.misplaced,
        unknown=c.unknown,
    )
    return report_pdf(report, title, headings, kinds), "application/pdf"


def _said(result: ScanResult | None) -> str:
    """Return what a scan found, in words."""
    assert result is not None  # a scan not refused has its result
    return _(SAID[result.outcome], barcode=result.barcode, title=result.title, location=result.location)


def _move(stocktake_id: int, change: object, done: str) -> Response:
    """Pause, resume or close a stock-taking; a refusal is said on the scan page."""
    if not ActionForm().validate_on_submit():
        flash(_("The form has expired: try again."), "error")
        return redirect(url_for("desk.stocktake", stocktake_id=stocktake_id), code=303)
    with refusals(catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
        change(uow, current_actor(), stocktake_id)  # type: ignore[operator]
    flash(attempt.message if attempt.failed else done, "error" if attempt.failed else "success")
    return redirect(url_for("desk.stocktake", stocktake_id=stocktake_id), code=303)


def _start_form() -> StocktakeForm:
    """Return the start form, its locations read from the holdings."""
    form = StocktakeForm()
    with current_runtime().uow() as uow:
        places = locations(uow)
    form.location.choices = [SelectChoice("", _("The whole collection"))] + [
        SelectChoice(p, p) for p in places
    ]
    return form


def _list_page(form: StocktakeForm, status: int) -> tuple[str, int]:
    """Render the list of stock-takings with the start form."""
    with current_runtime().uow() as uow:
        sessions = list_stocktakes(uow, current_actor())
    return render_template("desk/stocktakes.html", stocktakes=sessions, form=form), status

"""The librarian's desk: printed copies one by one (find by barcode, status and history) and their labels."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.clock import office_zone
from library.collection.barcodes import BarcodeNumbering
from library.collection.items import check_set_item_status, find_item, recent_items
from library.collection.labels import barcode_labels_pdf, label_items, spine_labels_pdf
from library.errors import InvalidInput, NotFound, SettingsError
from library.i18n import N_
from library.models import ItemStatus, Role
from library.settings import label_sheet
from library.uow import UnitOfWork
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.desk.item_forms import BarcodeForm, ItemStatusForm, LabelForm
from webapp.forms import refusals
from webapp.i18n import error_message
from webapp.sending import content_disposition

PAGE = "/eksemplar"
ONE = PAGE + "/<path:barcode>"


def numbering() -> BarcodeNumbering:
    """Return how this office numbers new copies (PUSTAKA_ITEM_BARCODE_PATTERN, PUSTAKA_OFFICE)."""
    settings = current_runtime().settings
    return BarcodeNumbering(settings.item_barcode_pattern, settings.office)


@bp.get(PAGE)
@role_required(Role.LIBRARIAN)
def items() -> Response | tuple[str, int]:
    """List the copies whose status changed last (of one status if asked); a barcode opens its copy."""
    form = BarcodeForm(request.args, meta={"csrf": False})
    if form.barcode.data:
        return redirect(url_for("desk.item", barcode=form.barcode.data.strip()), code=303)
    status = request.args.get("status", "")
    status = status if status in {s.value for s in ItemStatus} else ""
    with current_runtime().uow() as uow:
        listed = recent_items(uow, current_actor(), status)
    return render_template(
        "desk/items.html", items=listed, form=form, status=status, statuses=list(ItemStatus)
    ), 200


@bp.get(ONE)
@role_required(Role.LIBRARIAN)
def item(barcode: str) -> tuple[str, int]:
    """Show one copy: where it belongs, its status, its history, and the form to set its status."""
    return _item_page(barcode, None)


@bp.post(ONE)
@role_required(Role.LIBRARIAN)
def set_item_status(barcode: str) -> Response | tuple[str, int]:
    """Set a copy's status with a note."""
    form = ItemStatusForm()
    if form.validate_on_submit():
        with refusals(form, catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
            check_set_item_status(
                uow,
                current_actor(),
                barcode,
                form.status.data or "",
                form.note.data or "",
                now=current_runtime().now(),
            )
        if not attempt.failed:
            flash(_("The status of copy %(barcode)s is saved.", barcode=barcode), "success")
            return redirect(url_for("desk.item", barcode=barcode), code=303)
    return _item_page(barcode, form, 400)


@bp.route(PAGE + "-label", methods=["GET", "POST"])
@role_required(Role.LIBRARIAN)
def labels() -> Response | tuple[str, int]:
    """Ask which copies to label; answer a PDF on the office's label sheet."""
    form = LabelForm(request.form if request.method == "POST" else None)
    if request.method == "GET" and request.args.get("barcodes"):
        form.barcodes.data = request.args["barcodes"]
    if form.validate_on_submit():
        with refusals(form) as attempt, current_runtime().uow() as uow:
            pdf = _labels_pdf(uow, form)
        if not attempt.failed:
            name = f"label-{form.kind.data}-{current_runtime().today():%Y%m%d}.pdf"
            headers = {"Content-Disposition": content_disposition(name, inline=True)}
            return Response(pdf, content_type="application/pdf", headers=headers)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "desk/labels.html", form=form, sheet=current_runtime().settings.label_sheet
    ), status


def _labels_pdf(uow: UnitOfWork, form: LabelForm) -> bytes:
    """Return the PDF the label form asks for; refuse a sheet setting that cannot be printed on."""
    try:
        sheet = label_sheet(current_runtime().settings.label_sheet)
    except SettingsError as exc:
        raise InvalidInput(
            N_("The label sheet setting cannot be used (%(problem)s): ask the administrator to correct it."),
            problem=str(exc),
        ) from exc
    since = None
    if form.since.data:
        since = dt.datetime.combine(
            form.since.data, dt.time(), tzinfo=office_zone(current_runtime().timezone())
        )
    chosen = label_items(uow, current_actor(), (form.barcodes.data or "").split(), since)
    draw = spine_labels_pdf if form.kind.data == "spine" else barcode_labels_pdf
    return draw(chosen, sheet, int(form.skip.data or 0))


def _item_page(barcode: str, form: ItemStatusForm | None, status: int = 200) -> tuple[str, int]:
    """Render a copy's page; a barcode no copy has is a page that says so, with the search form."""
    try:
        with current_runtime().uow() as uow:
            found = find_item(uow, barcode)
    except NotFound as exc:
        flash(error_message(exc), "error")
        return render_template(
            "desk/items.html", items=[], form=BarcodeForm(), status="", statuses=list(ItemStatus)
        ), 404
    form = form or ItemStatusForm(status=found.status.value)
    return render_template("desk/item.html", item=found, form=form), status

"""The reading room: staff count each printed copy read there by scanning it, and see what was read."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.clock import office_zone
from library.collection.usage import check_record_use, use_counts
from library.errors import InvalidInput, NotFound
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.desk.item_forms import BarcodeForm
from webapp.forms import refusals

PAGE = "/ruang-baca"


@bp.get(PAGE)
@role_required(Role.LIBRARIAN, Role.FRONT_OFFICE)
def reading_room() -> tuple[str, int]:
    """Show the scan field and how often each publication was read in the period asked (this month)."""
    return _page(BarcodeForm(), 200)


@bp.post(PAGE)
@role_required(Role.LIBRARIAN, Role.FRONT_OFFICE)
def record_use() -> Response | tuple[str, int]:
    """Count one reading of the copy scanned."""
    form = BarcodeForm()
    if form.validate_on_submit():
        with (
            refusals(form, catch=(InvalidInput, NotFound)) as attempt,
            current_runtime().transaction() as uow,
        ):
            used = check_record_use(
                uow, current_actor(), form.barcode.data or "", now=current_runtime().now()
            )
        if not attempt.failed:
            flash(
                _("Counted as read: %(barcode)s, %(title)s.", barcode=used.barcode, title=used.title),
                "success",
            )
            period = {k: v for k, v in request.args.items() if k in ("dari", "sampai")}
            return redirect(url_for("desk.reading_room", **period), code=303)  # type: ignore[arg-type]
    return _page(form, 400)


def _period() -> tuple[dt.date, dt.date]:
    """Return the days asked (`dari`, `sampai`, YYYY-MM-DD), this month so far when missing or unreadable."""
    today = current_runtime().today()
    try:
        start = dt.date.fromisoformat(request.args.get("dari", ""))
        end = dt.date.fromisoformat(request.args.get("sampai", ""))
    except ValueError:
        return today.replace(day=1), today
    return (start, end) if start <= end else (end, start)


def _page(form: BarcodeForm, status: int) -> tuple[str, int]:
    """Render the scan field and the counts of the period."""
    start, end = _period()
    zone = office_zone(current_runtime().timezone())
    since = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    with current_runtime().uow() as uow:
        counts = use_counts(uow, current_actor(), since, until)
    return render_template("desk/reading_room.html", form=form, counts=counts, start=start, end=end), status

"""The supervisor's view (`/laporan/loket`): the counters and terminals now, each officer's day and period.

For the office head and administrators, as `/laporan/sekarang` (`library.frontoffice.queue.
supervision`). The page reloads itself like the live page; a counter left open is closed from
here with a reason (a small form per open counter), which its officer's console then shows.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.errors import InvalidField, InvalidInput, NotAllowed
from library.frontoffice.queue.officer_period import officers_over_period
from library.frontoffice.queue.supervision import check_close_counter_remotely, supervisor_view
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.i18n import error_message
from webapp.periods import chosen, kind_labels, period_chosen
from webapp.supervision.blueprint import bp
from webapp.supervision.forms import CloseCounterForm

REFRESH_SECONDS = 30


@bp.get("/")
@role_required(Role.OFFICE_HEAD)
def counters() -> str:
    """Show every counter and terminal now, the officers' day and who waits."""
    return _page(CloseCounterForm(), None)[0]


@bp.post("/<int:shift_id>/tutup")
@role_required(Role.OFFICE_HEAD)
def close(shift_id: int) -> Response | tuple[str, int]:
    """Close a counter left open, with the reason; show the page again with a refusal on the form."""
    form = CloseCounterForm()
    if not form.validate_on_submit():
        flash(_("The form was not accepted; try again."), "error")
        return redirect(url_for("supervision.counters"), code=303)
    rt = current_runtime()
    with refusals(form, to_error_page=NotAllowed) as attempt, rt.transaction() as uow:
        shift = check_close_counter_remotely(uow, current_actor(), shift_id, form.reason.data or "", rt.now())
        counter = shift.counter
    if attempt.failed and isinstance(attempt.error, InvalidField):  # the reason: said at its field
        return _page(form, shift_id)[0], attempt.status
    if attempt.failed:  # closed already, or a visitor still at the counter
        flash(attempt.message, "error")
        return redirect(url_for("supervision.counters"), code=303)
    flash(_("%(counter)s is closed. Its officer sees why on their console.", counter=counter), "success")
    return redirect(url_for("supervision.counters"), code=303)


@bp.get("/petugas")
@role_required(Role.OFFICE_HEAD)
def officers() -> tuple[str, int]:
    """Show each officer's services over a period (a month holding today when the address names none)."""
    rt, choice = current_runtime(), chosen()
    figures, error, field = None, None, None
    try:
        period = period_chosen(choice)
        with rt.uow() as uow:
            figures = officers_over_period(uow, current_actor(), rt.settings.office, period.start, period.end)
    except InvalidInput as exc:
        error, field = error_message(exc), getattr(exc, "field", None)
    page = render_template(
        "supervision/officers.html", figures=figures, choice=choice, kinds=kind_labels(), error=error,
        error_field=field,
    )  # fmt: skip
    return page, 400 if error else 200


def _page(form: CloseCounterForm, closing: int | None) -> tuple[str, int]:
    """Render the supervisor's view, the close form's refusal at the counter being closed."""
    rt = current_runtime()
    with rt.uow() as uow:
        view = supervisor_view(uow, current_actor(), rt.settings.office, rt.now())
    page = render_template(
        "supervision/counters.html", view=view, form=form, closing=closing, refresh=REFRESH_SECONDS
    )
    return page, 200

"""The close of day at the front office: everything left open, listed, then closed with a reason."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from library.errors import InvalidField
from library.frontoffice.day_close import ClosedDay, check_close_day, day_close_view
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.lockers.blueprint import bp
from webapp.lockers.console import TICKET_WORDS
from webapp.lockers.forms import DayCloseForm


@bp.get("/loket/tutup-hari")
@role_required(Role.FRONT_OFFICE)
def day_close() -> tuple[str, int]:
    """List every visit, ticket, terminal session and counter still open, with the form to close them."""
    return _page(DayCloseForm())


@bp.post("/loket/tutup-hari")
@role_required(Role.FRONT_OFFICE)
def close_day() -> Response | tuple[str, int]:
    """Close everything the list showed, with the reason given."""
    form = DayCloseForm()
    if not form.validate_on_submit():
        form.form_errors.append(_("The form could not be read; please try again."))
        return _page(form, 400)
    rt = current_runtime()
    with refusals(form, catch=InvalidField) as attempt, rt.transaction() as uow:
        closed = check_close_day(
            uow,
            current_actor(),
            rt.settings.office,
            rt.now(),
            form.reason.data or "",
            rt.jobs,
        )
    if attempt.failed:
        return _page(form, attempt.status)
    flash(closed_message(closed), "success")
    return redirect(url_for("lockers.day_close"), code=303)


def closed_message(closed: ClosedDay) -> str:
    """Say what closing the day changed."""
    if not closed.visits and not closed.counters:
        return _("Nothing was open: the day is closed.")
    return " ".join(
        (
            ngettext("%(num)s visit closed.", "%(num)s visits closed.", closed.visits),
            ngettext(
                "%(num)s ticket closed as not served.",
                "%(num)s tickets closed as not served.",
                closed.no_show,
            ),
            ngettext("%(num)s service finished.", "%(num)s services finished.", closed.finished),
            ngettext("%(num)s counter closed.", "%(num)s counters closed.", len(closed.counters)),
        )
    )


def _page(form: DayCloseForm, status: int = 200) -> tuple[str, int]:
    rt = current_runtime()
    now = rt.now()
    with rt.uow() as uow:
        view = day_close_view(uow, current_actor(), rt.settings.office, now)
    return render_template(
        "lockers/day_close.html", view=view, form=form, now=now, words=TICKET_WORDS
    ), status

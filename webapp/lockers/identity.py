"""The front office checks a visitor's ID card against their entry, and writes their email on it.

The locker desk is where the card is handed over, so it is where the office confirms who a
walk-in visitor is (`library.frontoffice.identity`): the visit is then joined to its email's
account, and what is stamped for the visitor says "diperiksa: kartu identitas".
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.errors import NotFound
from library.frontoffice.identity import check_confirm_id_card, check_set_visit_email
from library.i18n import N_
from library.models import Role, Visit
from library.uow import UnitOfWork
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.lockers.blueprint import ID, bp

NO_VISIT = N_("There is no such visit.")
RECLAIMED = N_(
    "That account had never verified its address, so its password was cleared: the visitor sets "
    "a new one through the link emailed with their copy, or with “Forgot password”."
)


@bp.post(f"/loket/loker/kunjungan/<{ID}:visit_id>/identitas")
@role_required(Role.FRONT_OFFICE)
def confirm_id_card(visit_id: int) -> Response:
    """Record that the visitor's ID card matches their guest book entry."""

    def check(uow: UnitOfWork, visit: Visit) -> str:
        joined = check_confirm_id_card(uow, current_actor(), visit, current_runtime().now())
        if joined.user is None:
            return _("The ID card of %(name)s is checked.", name=visit.name)
        said = _(
            "The ID card of %(name)s is checked; "
            "the visit now belongs to the account %(email)s (%(account)s).",
            name=visit.name,
            email=visit.email,
            account=joined.user.name,
        )
        return f"{said} {_(RECLAIMED)}" if joined.reclaimed else said

    return _change(visit_id, check)


@bp.post(f"/loket/loker/kunjungan/<{ID}:visit_id>/email")
@role_required(Role.FRONT_OFFICE)
def set_email(visit_id: int) -> Response:
    """Write the email a visitor gives on their guest book entry (so softcopies can reach them)."""

    def write(uow: UnitOfWork, visit: Visit) -> str:
        address = check_set_visit_email(uow, current_actor(), visit, request.form.get("email", "")[:300])
        return _("The email %(email)s is now on the entry of %(name)s.", email=address, name=visit.name)

    return _change(visit_id, write)


def _change(visit_id: int, step: Callable[[UnitOfWork, Visit], str]) -> Response:
    """Run one change on a visit, then go back to the console saying what was done or what went wrong."""
    if not ActionForm().validate_on_submit():
        return _back(_("The form could not be read; please try again."))
    with refusals() as attempt, current_runtime().transaction() as uow:
        said = step(uow, _visit(uow.session.get(Visit, visit_id)))
    if attempt.failed:
        return _back(attempt.message)
    flash(said, "success")
    return redirect(url_for("lockers.console"), code=303)


def _visit(visit: Visit | None) -> Visit:
    """Return the visit, or refuse an id that names none."""
    if visit is None:
        raise NotFound(NO_VISIT)
    return visit


def _back(problem: str) -> Response:
    """Go back to the console, saying what went wrong."""
    flash(problem, "error")
    return redirect(url_for("lockers.console"), code=303)

"""The librarian's desk: where a publication's printed copies are, added, changed and removed."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.catalogue.holdings import (
    check_add_holding,
    check_edit_holding,
    check_remove_holding,
    list_holdings,
)
from library.collection.items import items_of_holdings
from library.errors import InvalidInput
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.desk.forms import HoldingForm
from webapp.desk.items import numbering
from webapp.forms import ActionForm, refusals

PAGE = "/katalog/<int:publication_id>/salinan-cetak"
ONE = PAGE + "/<int:holding_id>"


@bp.get(PAGE)
@role_required(Role.LIBRARIAN)
def holdings(publication_id: int) -> tuple[str, int]:
    """Show a publication's printed holdings, each with its buttons, and the form to add one."""
    return _list_page(publication_id, HoldingForm())


@bp.post(PAGE)
@role_required(Role.LIBRARIAN)
def add_holding(publication_id: int) -> Response | tuple[str, int]:
    """Record printed copies of the publication in one more place."""
    form = HoldingForm()
    if form.validate_on_submit():
        with refusals(form, catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
            added = check_add_holding(
                uow,
                current_actor(),
                publication_id,
                form.to_input(),
                numbering(),
                now=current_runtime().now(),
                queue=current_runtime().jobs,
            )
        if not attempt.failed:
            flash(_("Printed copies at %(location)s are recorded.", location=added.location), "success")
            return redirect(url_for("desk.holdings", publication_id=publication_id), code=303)
    return _list_page(publication_id, form, 400)


@bp.get(ONE)
@role_required(Role.LIBRARIAN)
def holding(publication_id: int, holding_id: int) -> tuple[str, int]:
    """Show the form that changes one holding, filled in with what is recorded now."""
    return _edit_page(publication_id, holding_id, None)


@bp.post(ONE)
@role_required(Role.LIBRARIAN)
def edit_holding(publication_id: int, holding_id: int) -> Response | tuple[str, int]:
    """Save what the librarian changed about one holding."""
    form = HoldingForm()
    if form.validate_on_submit():
        with refusals(form, catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
            saved = check_edit_holding(
                uow,
                current_actor(),
                publication_id,
                holding_id,
                form.to_input(),
                numbering(),
                now=current_runtime().now(),
                queue=current_runtime().jobs,
            )
        if not attempt.failed:
            flash(_("Printed copies at %(location)s are updated.", location=saved.location), "success")
            return redirect(url_for("desk.holdings", publication_id=publication_id), code=303)
    return _edit_page(publication_id, holding_id, form, 400)


@bp.post(ONE + "/hapus")
@role_required(Role.LIBRARIAN)
def remove_holding(publication_id: int, holding_id: int) -> Response | tuple[str, int]:
    """Remove the record of printed copies in one place."""
    if not ActionForm().validate_on_submit():
        abort(400)  # the app's CSRF check refuses a bad token first: this is its second gate
    with current_runtime().transaction() as uow:
        removed = check_remove_holding(
            uow, current_actor(), publication_id, holding_id, current_runtime().jobs
        )
    flash(_("Printed copies at %(location)s are removed.", location=removed.location), "success")
    return redirect(url_for("desk.holdings", publication_id=publication_id), code=303)


def _list_page(publication_id: int, form: HoldingForm, status: int = 200) -> tuple[str, int]:
    """Render the publication's holdings with the add form."""
    with current_runtime().uow() as uow:
        printed = list_holdings(uow, publication_id)
        copies = items_of_holdings(uow, [h.id for h in printed.holdings])
    return render_template("desk/holdings.html", printed=printed, form=form, items=copies), status


def _edit_page(
    publication_id: int, holding_id: int, form: HoldingForm | None, status: int = 200
) -> tuple[str, int]:
    """Render one holding's edit form (filled in from the record when `form` is None)."""
    with current_runtime().uow() as uow:
        printed = list_holdings(uow, publication_id)
    current = printed.holding(holding_id)
    return render_template(
        "desk/holding.html", printed=printed, holding=current, form=form or HoldingForm(obj=current)
    ), status

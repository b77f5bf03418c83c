"""The librarian's desk: softcopy requests waiting for a decision, sorted by deadline."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from library.errors import PustakaError
from library.models import Role
from library.softcopy.decisions import check_approve, check_refuse
from library.softcopy.read_models import list_waiting, request_view
from webapp.auth import current_actor, role_required
from webapp.desk.blueprint import bp
from webapp.desk.forms import ApproveForm, RefuseForm
from webapp.forms import show_error
from webapp.runtime import runtime


@bp.get("/permintaan")
@role_required(Role.LIBRARIAN)
def requests() -> str:
    """List requests a librarian must act on, soonest deadline first."""
    app_state = runtime()
    with app_state.uow() as uow:
        waiting, embargoed = list_waiting(uow, current_actor())
    return render_template("desk/requests.html", waiting=waiting, embargoed=embargoed, now=app_state.now())


@bp.get("/permintaan/<number>")
@role_required(Role.LIBRARIAN)
def request_page(number: str) -> tuple[str, int]:
    """Show one request with the approve and refuse forms."""
    return _page(number, ApproveForm(prefix="approve"), RefuseForm(prefix="refuse"))


@bp.post("/permintaan/<number>/setujui")
@role_required(Role.LIBRARIAN)
def approve(number: str) -> Response | tuple[str, int]:
    """Approve a request (or try a failed copy again) and queue its copy."""
    app_state = runtime()
    form = ApproveForm(prefix="approve")
    if form.validate_on_submit():
        try:
            with app_state.uow() as uow:
                check_approve(
                    uow, current_actor(), number, app_state.jobs, app_state.now(), form.note.data or ""
                )
                uow.commit()
        except PustakaError as exc:
            show_error(form, exc)
        else:
            flash(_("Request %(number)s is approved; the copy is being made.", number=number), "success")
            return redirect(url_for("desk.requests"), code=303)
    return _page(number, form, RefuseForm(prefix="refuse"), 400)


@bp.post("/permintaan/<number>/tolak")
@role_required(Role.LIBRARIAN)
def refuse(number: str) -> Response | tuple[str, int]:
    """Refuse a request; the requester is emailed the reason."""
    app_state = runtime()
    form = RefuseForm(prefix="refuse")
    if form.validate_on_submit():
        try:
            with app_state.uow() as uow:
                check_refuse(
                    uow,
                    current_actor(),
                    number,
                    form.reason.data or "",
                    app_state.mailer,
                    app_state.links.request_page,
                    app_state.now(),
                )
                uow.commit()
        except PustakaError as exc:
            show_error(form, exc)
        else:
            flash(
                _("Request %(number)s is refused; the requester is emailed the reason.", number=number),
                "success",
            )
            return redirect(url_for("desk.requests"), code=303)
    return _page(number, ApproveForm(prefix="approve"), form, 400)


def _page(number: str, approve_form: FlaskForm, refuse_form: FlaskForm, status: int = 200) -> tuple[str, int]:
    """Render a request's desk page with its two forms."""
    app_state = runtime()
    with app_state.uow() as uow:
        view = request_view(uow, current_actor(), number)
    return render_template(
        "desk/request.html",
        req=view,
        approve=approve_form,
        refuse=refuse_form,
        now=app_state.now(),
    ), status

"""The librarian's desk: softcopy requests waiting for a decision (sorted by deadline), and those answered."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from library.errors import InvalidField, InvalidInput
from library.i18n import N_
from library.models import RequestStatus, Role
from library.softcopy.decisions import check_approve, check_refuse
from library.softcopy.read_models import (
    ANSWERED,
    AnsweredQuery,
    count_needing_decision,
    list_waiting,
    request_view,
    search_answered,
)
from library.text import clean_text
from runtime import links
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.desk.forms import ApproveForm, RefuseForm
from webapp.desk.ledger import date_field
from webapp.forms import refusals
from webapp.i18n import error_message, kept_error_message
from webapp.paging import page_number

HISTORY_PER_PAGE = 25
HISTORY_FILTERS = ("peminta", "judul", "status", "dari", "sampai")
# The use case names a field in English; the page's inputs are named in Indonesian.
HISTORY_FIELDS = {"date_to": "sampai"}


@bp.get("/permintaan")
@role_required(Role.LIBRARIAN)
def requests() -> str:
    """List requests a librarian must act on, soonest deadline first."""
    rt = current_runtime()
    with rt.uow() as uow:
        waiting, embargoed = list_waiting(uow, current_actor())
    return render_template("desk/requests.html", waiting=waiting, embargoed=embargoed, now=rt.now())


@bp.get("/permintaan/riwayat")
@role_required(Role.LIBRARIAN)
def history() -> tuple[str, int]:
    """Search the answered requests by requester, title, status and day of the answer, a page at a time."""
    filters = {name: clean_text(request.args.get(name, ""))[:200] for name in HISTORY_FILTERS}
    page = page_number()
    found, error, field = None, None, None
    try:
        with current_runtime().uow() as uow:
            found = search_answered(uow, current_actor(), _answered_query(filters), page, HISTORY_PER_PAGE)
    except InvalidInput as exc:
        error, field = error_message(exc), getattr(exc, "field", None)
    return render_template(
        "desk/requests_history.html",
        found=found,
        filters=filters,
        error=error,
        error_field=HISTORY_FIELDS.get(field or "", field),
        statuses=ANSWERED,
        query_args={k: v for k, v in filters.items() if v},
    ), 400 if error else 200


@bp.app_context_processor
def waiting_count() -> dict[str, Callable[[], int]]:
    """Give templates the number of requests waiting for a librarian, read when a page shows it."""
    return {"desk_waiting_count": _waiting_count}


def _waiting_count() -> int:
    """Return (once per request) how many requests wait for a librarian's decision."""
    if "desk_waiting_count" not in g:
        with current_runtime().uow() as uow:
            g.desk_waiting_count = count_needing_decision(uow, current_actor())
    count: int = g.desk_waiting_count
    return count


def _answered_query(filters: Mapping[str, str]) -> AnsweredQuery:
    """Read the history's filters; a bad field raises InvalidField naming it."""
    status = filters["status"]
    if status and status not in {s.value for s in ANSWERED}:
        raise InvalidField("status", N_("Choose a status from the list."))
    return AnsweredQuery(
        requester=filters["peminta"],
        title=filters["judul"],
        status=RequestStatus(status) if status else None,
        date_from=date_field(filters, "dari"),
        date_to=date_field(filters, "sampai"),
        timezone=current_runtime().timezone(),
    )


@bp.get(links.DESK_REQUEST_PAGE.removeprefix(bp.url_prefix or ""))  # the address librarians are emailed
@role_required(Role.LIBRARIAN)
def request_page(number: str) -> tuple[str, int]:
    """Show one request with the approve and refuse forms."""
    return _page(number, ApproveForm(prefix="approve"), RefuseForm(prefix="refuse"))


@bp.post("/permintaan/<number>/setujui")
@role_required(Role.LIBRARIAN)
def approve(number: str) -> Response | tuple[str, int]:
    """Approve a request (or try a failed copy again) and queue its copy."""
    rt = current_runtime()
    form = ApproveForm(prefix="approve")
    if form.validate_on_submit():
        with refusals(form) as attempt, rt.transaction() as uow:
            check_approve(
                uow,
                current_actor(),
                number,
                rt.jobs,
                rt.now(),
                form.note.data or "",
                form.pages.data or "",
            )
        if not attempt.failed:
            return _decided(_("Request %(number)s is approved; the copy is being made.", number=number))
    return _page(number, form, RefuseForm(prefix="refuse"), 400)


@bp.post("/permintaan/<number>/tolak")
@role_required(Role.LIBRARIAN)
def refuse(number: str) -> Response | tuple[str, int]:
    """Refuse a request; the requester is emailed the reason."""
    rt = current_runtime()
    form = RefuseForm(prefix="refuse")
    if form.validate_on_submit():
        with refusals(form) as attempt, rt.transaction() as uow:
            check_refuse(
                uow,
                current_actor(),
                number,
                form.reason.data or "",
                rt.mailer,
                rt.links.request_page,
                rt.now(),
            )
        if not attempt.failed:
            return _decided(
                _("Request %(number)s is refused; the requester is emailed the reason.", number=number)
            )
    return _page(number, ApproveForm(prefix="approve"), form, 400)


def _decided(message: str) -> Response:
    """Say the decision is made and go back to the requests waiting for one."""
    flash(message, "success")
    return redirect(url_for("desk.requests"), code=303)


def _page(number: str, approve_form: FlaskForm, refuse_form: FlaskForm, status: int = 200) -> tuple[str, int]:
    """Render a request's desk page with its two forms."""
    rt = current_runtime()
    with rt.uow() as uow:
        view = request_view(uow, current_actor(), number)
    return render_template(
        "desk/request.html",
        req=view,
        failure=kept_error_message(view.failure_reason, view.failure_params),
        approve=approve_form,
        refuse=refuse_form,
        now=rt.now(),
    ), status

"""Softcopy requests for online users: the form, "My requests", one request, the download."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.errors import StorageError
from library.frontoffice import list_my_scans
from library.i18n import N_
from library.quality import invitation_for, request_event
from library.softcopy.copies import DownloadGrant, DownloadsSpent, LinkExpired, check_download
from library.softcopy.read_models import list_my_requests, request_view
from library.softcopy.requests import (
    MIN_USE,
    RequestPage,
    SoftcopyRequestDetails,
    check_submit_request,
    request_page,
)
from runtime import links
from runtime.root import Runtime
from webapp.auth import current_actor, role_required
from webapp.current_runtime import runtime
from webapp.forms import refusals
from webapp.sending import send_stored
from webapp.softcopy.forms import SoftcopyRequestForm
from webapp.terminal_visitor import current_terminal_visitor

bp = Blueprint("softcopy", __name__)
NOT_ON_A_TERMINAL = N_("Copies are sent to your email and your account; download them on your own device.")


@bp.route("/katalog/<int:publication_id>/minta", methods=["GET", "POST"])
@role_required()
def new(publication_id: int) -> Response | tuple[str, int]:
    """Show the softcopy request form and send it (at a library terminal: for the visit).

    The form's fields are all checked by the use case, at once, so a person sees every problem
    in one round; the form object itself only carries the CSRF token and the values typed.
    """
    app_state = runtime()
    visitor = current_terminal_visitor()
    page = _request_page(app_state, publication_id, walk_in=visitor is not None)
    form = SoftcopyRequestForm()
    if form.validate_on_submit():
        with refusals(form) as attempt:
            number = _submit(app_state, form.to_input(publication_id, visitor.visit_id if visitor else None))
        if not attempt.failed:
            flash(_("Your request %(number)s has been received.", number=number), "success")
            return redirect(url_for("softcopy.detail", number=number), code=303)
    return _form_page(app_state, form, page)


def _request_page(app_state: Runtime, publication_id: int, *, walk_in: bool) -> RequestPage:
    """Read the publication and the person's allowance, which the form shows around its fields."""
    rules, now, today = app_state.request_rules(), app_state.now(), app_state.today()
    with app_state.uow() as uow:
        return request_page(uow, current_actor(), publication_id, rules, now, today=today, walk_in=walk_in)


def _submit(app_state: Runtime, wanted: SoftcopyRequestDetails) -> str:
    """Record the request in a transaction of its own and return its number."""
    with app_state.transaction() as uow:
        return check_submit_request(
            uow,
            current_actor(),
            wanted,
            app_state.request_rules(),
            app_state.jobs,
            app_state.now(),
            request.remote_addr or "",
            mailer=app_state.mailer,
            request_link=app_state.links.request_page,
        )


def _form_page(app_state: Runtime, form: SoftcopyRequestForm, page: RequestPage) -> tuple[str, int]:
    """Render the request form, with status 400 once it has problems to show."""
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "softcopy/new.html",
        form=form,
        pub=page.publication,
        allowance=page.allowance,
        min_use=MIN_USE,
        sla_days=app_state.settings.request_sla_working_days,
    ), status


@bp.get(links.MY_REQUESTS)
@role_required()
def mine() -> str:
    """List the signed-in person's requests, and the pages scanned for their visits, with download links."""
    app_state = runtime()
    with app_state.uow() as uow:
        requests = list_my_requests(uow, current_actor())
        scans = list_my_scans(uow, current_actor())
    return render_template("softcopy/mine.html", requests=requests, scans=scans, now=app_state.now())


@bp.get(links.REQUEST_PAGE)
@role_required()
def detail(number: str) -> str:
    """Show one request, its history and its download link (owner or librarian only)."""
    app_state = runtime()
    actor = current_actor()
    with app_state.uow() as uow:
        view = request_view(uow, actor, number)
        owner = actor is not None and actor.id == view.requester_id
        survey = invitation_for(uow, request_event(view.number), app_state.now()) if owner else None
    return render_template(
        "softcopy/detail.html",
        req=view,
        now=app_state.now(),
        owner=owner,
        survey=survey,
        sla_days=app_state.settings.request_sla_working_days,
    )


@bp.get("/permintaan/<number>/status")
@role_required()
def status(number: str) -> Response:
    """Answer the request page's script with the request's current status, as JSON."""
    app_state = runtime()
    with app_state.uow() as uow:
        view = request_view(uow, current_actor(), number)
    state, text = view.badge(app_state.now())
    answer = jsonify(
        number=view.number, status=view.status.value, state=state, label=_(text), final=view.final
    )
    answer.headers["Cache-Control"] = "no-store"
    return answer


@bp.post("/permintaan/<number>/unduh")
@role_required()
def download(number: str) -> Response | tuple[str, int]:
    """Send the stamped copy to its owner, if the link has time and downloads left; never to a terminal."""
    if current_terminal_visitor() is not None:
        flash(_(NOT_ON_A_TERMINAL), "info")
        return render_template("softcopy/not_on_terminal.html", number=number), 403
    app_state = runtime()
    with refusals(catch=(LinkExpired, DownloadsSpent)) as attempt, app_state.transaction() as uow:
        grant = check_download(uow, current_actor(), number, app_state.now(), request.remote_addr or "")
        if not app_state.store.path_for(grant.sha256).is_file():
            # Not counted (the transaction rolls back): the copy must be made again.
            raise StorageError(
                N_("The stamped file of request %(number)s is missing; please tell the PST staff."),
                number=number,
            )
    if attempt.failed:
        expired = isinstance(attempt.error, LinkExpired)
        page = render_template(
            "softcopy/link_problem.html", message=attempt.message, expired=expired, number=number
        )
        return page, 410
    return _send(app_state, grant)


def _send(app_state: Runtime, grant: DownloadGrant) -> Response:
    """Send the file, or let the reverse proxy send it once authorised."""
    return send_stored(app_state, grant.sha256, grant.filename, ascii_filename=grant.ascii_filename)

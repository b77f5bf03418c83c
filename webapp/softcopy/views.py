"""Softcopy requests for online users: the form, "My requests", one request, the download."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.errors import StorageError
from library.frontoffice.scans.read_models import list_my_scans
from library.i18n import N_
from library.quality.survey import invitation_for, request_event
from library.softcopy.downloads import DownloadGrant, DownloadsSpent, LinkExpired, check_download
from library.softcopy.read_models import list_my_requests, request_view
from library.softcopy.request_checks import MIN_USE, SoftcopyRequestDetails
from library.softcopy.requests import RequestPage, check_submit_request, request_page
from library.usage.counting import Kind
from runtime import links
from runtime.root import Runtime
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.sending import send_stored
from webapp.softcopy.blueprint import bp
from webapp.softcopy.forms import SoftcopyRequestForm
from webapp.terminal_visitor import current_terminal_visitor
from webapp.usage import record_usage
from webapp.version_copies import send_version_copy

NOT_ON_A_TERMINAL = N_("Copies are sent to your email and your account; download them on your own device.")


@bp.route("/katalog/<int:publication_id>/minta", methods=["GET", "POST"])
@role_required()
def new(publication_id: int) -> Response | tuple[str, int]:
    """Show the softcopy request form and send it (at a library terminal: for the visit).

    The form's fields are all checked by the use case, at once, so a person sees every problem
    in one round; the form object itself only carries the CSRF token and the values typed.
    """
    rt = current_runtime()
    visitor = current_terminal_visitor()
    page = _request_page(rt, publication_id, walk_in=visitor is not None)
    form = SoftcopyRequestForm()
    if form.validate_on_submit():
        with refusals(form) as attempt:
            number = _submit(rt, form.to_input(publication_id, visitor.visit_id if visitor else None))
        if not attempt.failed:
            flash(_("Your request %(number)s has been received.", number=number), "success")
            return redirect(url_for("softcopy.detail", number=number), code=303)
    return _form_page(rt, form, page)


def _request_page(rt: Runtime, publication_id: int, *, walk_in: bool) -> RequestPage:
    """Read the publication and the person's allowance, which the form shows around its fields."""
    rules, now, today = rt.request_rules(), rt.now(), rt.today()
    with rt.uow() as uow:
        return request_page(uow, current_actor(), publication_id, rules, now, today=today, walk_in=walk_in)


def _submit(rt: Runtime, wanted: SoftcopyRequestDetails) -> str:
    """Record the request in a transaction of its own and return its number."""
    with rt.transaction() as uow:
        return check_submit_request(
            uow,
            current_actor(),
            wanted,
            rt.request_rules(),
            rt.jobs,
            rt.now(),
            request.remote_addr or "",
            mailer=rt.mailer,
            request_link=rt.links.request_page,
        )


def _form_page(rt: Runtime, form: SoftcopyRequestForm, page: RequestPage) -> tuple[str, int]:
    """Render the request form, with status 400 once it has problems to show."""
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "softcopy/new.html",
        form=form,
        pub=page.publication,
        allowance=page.allowance,
        min_use=MIN_USE,
        sla_days=rt.settings.request_sla_working_days,
    ), status


@bp.get(links.MY_REQUESTS)
@role_required()
def mine() -> str:
    """List the signed-in person's requests, and the pages scanned for their visits, with download links."""
    rt = current_runtime()
    with rt.uow() as uow:
        requests = list_my_requests(uow, current_actor())
        scans = list_my_scans(uow, current_actor())
    return render_template("softcopy/mine.html", requests=requests, scans=scans, now=rt.now())


@bp.get(links.REQUEST_PAGE)
@role_required()
def detail(number: str) -> str:
    """Show one request, its history and its download link (owner or librarian only)."""
    rt = current_runtime()
    actor = current_actor()
    with rt.uow() as uow:
        view = request_view(uow, actor, number)
        owner = actor is not None and actor.id == view.requester_id
        survey = invitation_for(uow, request_event(view.number), rt.now()) if owner else None
    return render_template(
        "softcopy/detail.html",
        req=view,
        now=rt.now(),
        owner=owner,
        survey=survey,
        sla_days=rt.settings.request_sla_working_days,
    )


@bp.get("/permintaan/<number>/status")
@role_required()
def status(number: str) -> Response:
    """Answer the request page's script with the request's current status, as JSON."""
    rt = current_runtime()
    with rt.uow() as uow:
        view = request_view(uow, current_actor(), number)
    state, text = view.badge(rt.now())
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
    rt = current_runtime()
    with refusals(catch=(LinkExpired, DownloadsSpent)) as attempt, rt.transaction() as uow:
        grant = check_download(uow, current_actor(), number, rt.now(), request.remote_addr or "")
        if not rt.store.path_for(grant.sha256).is_file():
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
    return _send(rt, grant)


def _send(rt: Runtime, grant: DownloadGrant) -> Response:
    """Send the file, or let the reverse proxy send it once authorised (a download of the publication)."""
    record_usage(grant.publication_id, Kind.DOWNLOAD)
    return send_stored(rt, grant.sha256, grant.filename, ascii_filename=grant.ascii_filename)


@bp.post("/katalog/<int:publication_id>/versi/<int:number>/salinan")
@role_required()
def version_copy(publication_id: int, number: int) -> Response | tuple[str, int]:
    """Stamp a copy of an old version a librarian left public for the signed-in reader, and send it."""
    if current_terminal_visitor() is not None:
        flash(_(NOT_ON_A_TERMINAL), "info")
        return redirect(url_for("catalogue.detail", publication_id=publication_id), code=303)
    return send_version_copy(
        publication_id, number, url_for("catalogue.detail", publication_id=publication_id)
    )

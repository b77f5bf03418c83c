"""The public side of complaints: the form, finding a complaint by code, its status page and files."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.errors import NotFound
from library.i18n import N_
from library.quality.complaints.read_models import attachment_of, complaint_status
from library.quality.complaints.records import (
    ANSWER_WORKING_DAYS,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MIN_BODY,
    normal_code,
)
from runtime import links
from webapp.auth import client_address, current_actor
from webapp.complaints.blueprint import bp
from webapp.complaints.filing import file_complaint
from webapp.complaints.forms import ComplaintForm
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.sending import send_stored

NO_SUCH_CODE = N_("There is no complaint with this tracking code. Check the code and try again.")


@bp.route("/pengaduan", methods=["GET", "POST"])
def new() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Show the complaint form (anyone may send it) and file it; the person gets a tracking code."""
    actor = current_actor()
    form = ComplaintForm()
    if request.method == "GET" and actor is not None:
        form.name.data, form.email.data = actor.name, actor.email
    if not form.validate_on_submit():
        return _form_page(form, 400 if request.method == "POST" else 200)
    with refusals(form) as attempt:
        code = file_complaint(
            form, form.to_input(), guard=current_runtime().complaint_guard(client_address())
        )
    if attempt.failed:  # past the limit: 429, and when to try again
        return (*_form_page(form, attempt.status), attempt.headers)
    flash(_("Your complaint has been received. Keep its tracking code: %(code)s", code=code), "success")
    return redirect(url_for("complaints.status", code=code), code=303)


def _form_page(form: ComplaintForm, status: int) -> tuple[str, int]:
    """Render the complaint form (as sent, with its problems) with the answer's status."""
    return render_template(
        "complaints/new.html",
        form=form,
        status_page=False,
        max_files=MAX_ATTACHMENTS,
        max_mb=MAX_ATTACHMENT_BYTES // (1024 * 1024),
        min_body=MIN_BODY,
        answer_days=ANSWER_WORKING_DAYS,
    ), status


@bp.get("/pengaduan/lacak")
def find() -> Response | tuple[str, int]:
    """Open the status page of the code typed (any case, with or without dashes); else say what is wrong."""
    typed = request.args.get("kode", "")[:64]
    if not typed.strip():
        return _find_page("", _("Type the tracking code of your complaint.")), 400
    code = normal_code(typed)
    if code is None:
        return _find_page(typed, _(NO_SUCH_CODE)), 404
    return redirect(url_for("complaints.status", code=code), code=303)


@bp.get(links.COMPLAINT_STATUS)
def status(code: str) -> Response | str | tuple[str, int]:
    """Show a complaint's status, history and answer to whoever holds its code."""
    normal = normal_code(code)
    if normal is not None and normal != code:
        return redirect(url_for("complaints.status", code=normal), code=301)
    with refusals(catch=NotFound) as attempt, current_runtime().uow() as uow:
        view = complaint_status(uow, code)
    if attempt.failed:
        return _find_page(code[:64], _(NO_SUCH_CODE)), 404
    return render_template("complaints/status.html", c=view, answer_days=ANSWER_WORKING_DAYS)


def _find_page(typed: str, problem: str) -> str:
    """Render the tracking box again with the code typed and what is wrong with it."""
    return render_template("complaints/find.html", typed=typed, track_problem=problem)


@bp.get("/pengaduan/<code>/lampiran/<int(min=1,max=9):position>")
def attachment(code: str, position: int) -> Response:
    """Send a complaint's attachment to whoever holds its code (staff open it from the desk the same way)."""
    rt = current_runtime()
    with rt.uow() as uow:
        found = attachment_of(uow, code, position)
    response = send_stored(rt, found.sha256, found.filename, mimetype=found.media_type)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

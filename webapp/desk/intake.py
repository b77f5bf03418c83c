"""The librarian's desk: intake, the uploads and their ingest jobs' progress."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from library.catalogue import offices
from library.errors import InvalidInput, PustakaError
from library.i18n import N_
from library.intake.drafts import DRAFT_FIELDS
from library.intake.read_models import get_job, list_jobs
from library.intake.submit import AlreadyIngested, check_submit, retry_job
from library.models import AccessLevel, IngestChannel, IngestStatus, Role
from library.subjects.vocabulary import subject_names
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.forms import refusals, saved_uploads
from webapp.i18n import enum_label, error_message
from webapp.paging import page_number


@bp.get("/")
@role_required(Role.LIBRARIAN)
def index() -> str:
    """Show the desk: recent ingest jobs and their status."""
    page = page_number()
    wanted = request.args.get("status", "")
    status = IngestStatus(wanted) if wanted in {s.value for s in IngestStatus} else None
    with current_runtime().uow() as uow:
        jobs = list_jobs(uow, status=status, page=page)
    return render_template("desk/index.html", jobs=jobs, status=status, statuses=list(IngestStatus))


@bp.route("/ingest/baru", methods=["GET", "POST"])
@role_required(Role.LIBRARIAN)
def upload() -> tuple[str, int] | Response:
    """Take an upload with its metadata and queue the ingest."""
    form = _draft_fields()
    if request.method != "POST":
        return _upload_page(form)
    files = [f for f in request.files.getlist("berkas") if f and f.filename]
    with refusals() as attempt:
        job_id = _submit(files, form)
    if attempt.failed:
        return _upload_page(form, _refusal(attempt.error))
    flash(_("The file is queued for ingest."))
    return redirect(url_for("desk.job", job_id=job_id), code=303)


def _draft_fields() -> dict[str, str]:
    """Read the upload form's metadata fields as typed (the office defaults to this office)."""
    form = {name: request.form.get(name, "") for name in DRAFT_FIELDS}
    form["office"] = form["office"] or current_runtime().settings.office
    return form


def _refusal(exc: PustakaError) -> str:
    """Say why the upload was refused (a file ingested before: where to find it)."""
    error = error_message(exc)
    if isinstance(exc, AlreadyIngested) and exc.publication_id:
        error += " " + _("Open it from the catalogue.")
    return error


def _upload_page(form: dict[str, str], error: str | None = None) -> tuple[str, int]:
    """Render the upload form with what was typed and, when refused, why (status 400)."""
    rt = current_runtime()
    with rt.uow() as uow:
        office_names = offices.list_office_names(uow)
        suggested = subject_names(uow)
    return render_template(
        "desk/upload.html",
        form=form,
        error=error,
        office_names=office_names,
        subject_names=suggested,
        levels=list(AccessLevel),
        max_mb=rt.settings.max_upload_mb,
    ), 400 if error else 200


def _submit(files: list[FileStorage], form: dict[str, str]) -> int:
    """Save the uploaded file(s) where the engine can read them and submit them."""
    if not files:
        raise InvalidInput(N_("Choose a file to upload."))
    rt = current_runtime()
    draft = {k: v for k, v in form.items() if v.strip()}
    with saved_uploads(files, prefix="pustaka-upload-") as (source, original):
        with rt.transaction() as uow:
            submission = check_submit(
                uow,
                rt.store,
                rt.jobs,
                current_actor(),
                source,
                channel=IngestChannel.UPLOAD,
                limits=rt.ingest_limits,
                draft=draft,
                original_name=original,
                now=rt.now(),
            )
    return submission.job_id


@bp.get("/ingest/<int:job_id>")
@role_required(Role.LIBRARIAN)
def job(job_id: int) -> str:
    """Show one ingest job and its progress."""
    with current_runtime().uow() as uow:
        view = get_job(uow, job_id)
    return render_template("desk/job.html", job=view)


@bp.get("/ingest/<int:job_id>/status.json")
@role_required(Role.LIBRARIAN)
def job_status(job_id: int) -> Response:
    """Answer a progress poll."""
    with current_runtime().uow() as uow:
        view = get_job(uow, job_id)
    body = view.as_json()
    body["label"] = enum_label(view.status)
    return jsonify(body)


@bp.post("/ingest/<int:job_id>/ulangi")
@role_required(Role.LIBRARIAN)
def retry(job_id: int) -> Response:
    """Queue a failed job again."""
    rt = current_runtime()
    with rt.transaction() as uow:
        retry_job(uow, rt.jobs, current_actor(), job_id, now=rt.now())
    flash(_("The job is queued again."))
    return redirect(url_for("desk.job", job_id=job_id), code=303)

"""The librarian's desk: a publication's file replaced by a corrected edition, saying why."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from library.errors import InvalidField, InvalidInput, PustakaError
from library.file_versions.read_models import replacement_page
from library.file_versions.staff import check_version_public
from library.i18n import N_
from library.intake.replacing import check_replace
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.forms import refusals, saved_uploads
from webapp.i18n import error_message
from webapp.version_copies import send_version_copy

ONE = "/publikasi/<int:publication_id>"


@bp.get(ONE + "/berkas")
@role_required(Role.LIBRARIAN)
def replace_file(publication_id: int) -> tuple[str, int]:
    """Show the publication's file versions and the form to replace its file."""
    return _page(publication_id)


@bp.post(ONE + "/berkas")
@role_required(Role.LIBRARIAN)
def save_replacement(publication_id: int) -> Response | tuple[str, int]:
    """Take the corrected file and its reason, and queue its ingest as the next version."""
    reason = request.form.get("alasan", "")
    files = [f for f in request.files.getlist("berkas") if f and f.filename]
    with refusals() as attempt:
        job_id = _replace(publication_id, files, reason)
    if attempt.failed:
        return _page(publication_id, reason, attempt.error, status=attempt.status)
    flash(_("The new file is queued for ingest; it becomes the current version when it is ready."))
    return redirect(url_for("desk.job", job_id=job_id), code=303)


@bp.post(ONE + "/versi/<int:number>/salinan")
@role_required(Role.LIBRARIAN)
def version_copy(publication_id: int, number: int) -> Response:
    """Stamp a copy of one version for the librarian and send it; the ledger names the version."""
    return send_version_copy(
        publication_id, number, url_for("desk.replace_file", publication_id=publication_id)
    )


@bp.post(ONE + "/versi/<int:number>/publik")
@role_required(Role.LIBRARIAN)
def version_public(publication_id: int, number: int) -> Response:
    """Leave an old version available to the public, or take it back."""
    rt = current_runtime()
    public = request.form.get("publik") == "1"
    with refusals() as attempt, rt.transaction() as uow:
        check_version_public(uow, current_actor(), publication_id, number, public)
    if attempt.failed:
        flash(attempt.message, "error")
    elif public:
        flash(_("Version %(number)s is available to the public.", number=number), "success")
    else:
        flash(_("Version %(number)s is no longer available to the public.", number=number), "success")
    return redirect(url_for("desk.replace_file", publication_id=publication_id), code=303)


def _replace(publication_id: int, files: list[FileStorage], reason: str) -> int:
    """Save the uploaded file(s) where the engine can read them and submit them as a replacement."""
    if not files:
        raise InvalidField("berkas", N_("Choose a file to upload."))
    rt = current_runtime()
    with saved_uploads(files, prefix="pustaka-replace-") as (source, original):
        with rt.transaction() as uow:
            submission = check_replace(
                uow,
                rt.store,
                rt.jobs,
                current_actor(),
                publication_id,
                source,
                reason=reason,
                limits=rt.ingest_limits,
                original_name=original,
                now=rt.now(),
            )
    return submission.job_id


def _page(
    publication_id: int, reason: str = "", error: PustakaError | None = None, *, status: int = 200
) -> tuple[str, int]:
    """Render the replacement page with what was typed and, when refused, why and at which field."""
    rt = current_runtime()
    with rt.uow() as uow:
        page = replacement_page(uow, current_actor(), publication_id)
    field = getattr(error, "field", "") if isinstance(error, InvalidInput) else ""
    return render_template(
        "desk/replace_file.html",
        page=page,
        reason=reason,
        error=error_message(error) if error else None,
        error_field=field or "berkas",
        max_mb=rt.settings.max_upload_mb,
    ), status

"""The librarian's scanning for visitors: today's scans, the scan form, a scan's page and its copy."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from library.errors import InvalidField, InvalidInput, NotFound, PustakaError
from library.frontoffice.scans.ingest import check_send_scan_to_ingest
from library.frontoffice.scans.read_models import (
    ScanView,
    find_publications,
    librarian_copy,
    scan_desk,
    scan_view,
)
from library.frontoffice.scans.uploads import (
    ScanTaken,
    ScanUpload,
    check_submit_scan,
    clean_title,
    parse_publication_ref,
    retry_scan,
)
from library.i18n import N_
from library.intake.submit import AlreadyIngested, IngestRefused
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals, saved_uploads, show_error
from webapp.i18n import kept_error_message
from webapp.scans.blueprint import ID, bp
from webapp.scans.forms import ScanForm
from webapp.sending import send_stored

CHOOSE_A_FILE = N_("Choose the scanned file: a PDF, or the page images (JPEG, PNG or TIFF).")


@bp.get("/meja/pindai")
@role_required(Role.LIBRARIAN)
def index() -> tuple[str, int]:
    """Show today's scans and the form to scan for a visitor."""
    form = ScanForm(formdata=None)
    chosen = request.args.get("kunjungan", "")
    if chosen.isdigit() and len(chosen) <= 10:
        form.visit.data = chosen
    return _page(form)


@bp.post("/meja/pindai")
@role_required(Role.LIBRARIAN)
def submit() -> Response | tuple[str, int]:
    """Take a scan for a visitor: check it, keep it, queue its stamped copy."""
    form = ScanForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    files = [f for f in request.files.getlist(form.berkas.name) if f and f.filename]
    publication_id, problems = _first_look(form, files)
    if problems:
        return _refused(form, *problems)
    with refusals(catch=(InvalidInput, NotFound)) as attempt:
        taken = _submit(form.to_input(publication_id), files)
    if attempt.failed and isinstance(attempt.error, IngestRefused):
        form.berkas.errors = [attempt.message]
        return _page(form, 400)
    if attempt.failed:
        return _refused(form, attempt.error)
    if taken.created:
        flash(_("The scan is received; the visitor's stamped copy is being made."), "success")
    else:
        flash(_("This file was already scanned for this visitor; here is that scan."), "info")
    return redirect(url_for("scans.scan", scan_id=taken.scan_id), code=303)


def _first_look(form: ScanForm, files: list[FileStorage]) -> tuple[int | None, list[InvalidField]]:
    """Check what needs no database (the file is there, the title, the publication's number) all at once."""
    problems = []
    publication_id = None
    try:
        publication_id = parse_publication_ref(form.publication.data or "")
    except InvalidField as exc:
        problems.append(exc)
    try:
        clean_title(form.title.data or "")
    except InvalidField as exc:
        problems.append(exc)
    if not files:
        problems.append(InvalidField("berkas", CHOOSE_A_FILE))
    return publication_id, problems


def _refused(form: ScanForm, *problems: PustakaError) -> tuple[str, int]:
    """Show the scanning page again with the problems at their fields (404: a thing named is not there)."""
    for problem in problems:
        show_error(form, problem)
    return _page(form, 404 if any(isinstance(p, NotFound) for p in problems) else 400)


def _submit(upload: ScanUpload, files: list[FileStorage]) -> ScanTaken:
    """Save the uploaded file(s) where the engine can read them, and submit the scan."""
    rt = current_runtime()
    with saved_uploads(files, prefix="pustaka-pindai-") as (source, original):
        with rt.transaction() as uow:
            taken = check_submit_scan(
                uow,
                rt.store,
                rt.jobs,
                current_actor(),
                upload,
                source,
                office_code=rt.settings.office,
                now=rt.now(),
                limits=rt.ingest_limits,
                original_name=original,
                download_cap=rt.settings.download_cap,
            )
    return taken


@bp.get(f"/meja/pindai/<{ID}:scan_id>")
@role_required(Role.LIBRARIAN)
def scan(scan_id: int) -> str:
    """Show one scan: its state (refreshing until the copy is made), the copy, the offer to ingest."""
    rt = current_runtime()
    with rt.uow() as uow:
        view = scan_view(uow, current_actor(), scan_id)
    return render_template(
        "scans/scan.html", scan=view, failure=_failure(view), now=rt.now(), action=ActionForm()
    )


def _failure(view: ScanView) -> str:
    """Word why a copy could not be made, in the librarian's language."""
    if not view.failure_reason:
        return ""
    return kept_error_message(view.failure_reason, view.failure_params)


@bp.post(f"/meja/pindai/<{ID}:scan_id>/ulangi")
@role_required(Role.LIBRARIAN)
def retry(scan_id: int) -> Response:
    """Queue the copy of a failed scan again."""
    rt = current_runtime()
    if ActionForm().validate_on_submit():
        with rt.transaction() as uow:
            retry_scan(uow, rt.jobs, current_actor(), scan_id)
        flash(_("The copy is being made again."), "success")
    return redirect(url_for("scans.scan", scan_id=scan_id), code=303)


@bp.get(f"/meja/pindai/<{ID}:scan_id>/salinan.pdf")
@role_required(Role.LIBRARIAN)
def copy(scan_id: int) -> Response:
    """Open the visitor's stamped copy for the librarian to print or hand over (not counted)."""
    rt = current_runtime()
    with rt.uow() as uow:
        found = librarian_copy(uow, current_actor(), scan_id)
    if not rt.store.exists(found.sha256):
        raise NotFound(N_("The stamped copy of scan %(id)s is missing; make it again."), id=scan_id)
    return send_stored(rt, found.sha256, found.filename, inline=True)


@bp.post(f"/meja/pindai/<{ID}:scan_id>/koleksi")
@role_required(Role.LIBRARIAN)
def to_ingest(scan_id: int) -> Response:
    """Send the scan's master to ingest as a new publication's draft."""
    rt = current_runtime()
    if not ActionForm().validate_on_submit():
        return redirect(url_for("scans.scan", scan_id=scan_id), code=303)
    with refusals(catch=AlreadyIngested) as attempt, rt.transaction() as uow:
        job_id = check_send_scan_to_ingest(
            uow,
            rt.store,
            rt.jobs,
            current_actor(),
            scan_id,
            limits=rt.ingest_limits,
            now=rt.now(),
        )
    if attempt.failed:
        flash(attempt.message, "info")
        return redirect(url_for("scans.scan", scan_id=scan_id), code=303)
    flash(_("The scan is sent to ingest (job %(id)s).", id=job_id), "success")
    return redirect(url_for("scans.scan", scan_id=scan_id), code=303)


@bp.get("/meja/pindai/publikasi.json")
@role_required(Role.LIBRARIAN)
def publications() -> Response:
    """Answer the form's picker: up to ten publications whose title holds the words typed."""
    with current_runtime().uow() as uow:
        found = find_publications(uow, current_actor(), request.args.get("q", "")[:200])
    return jsonify([{"id": number, "title": title} for number, title in found])


def _page(form: ScanForm, status: int = 200) -> tuple[str, int]:
    """Render the scanning page with the form (its list is today's visits) and today's scans."""
    rt = current_runtime()
    with rt.uow() as uow:
        desk = scan_desk(uow, current_actor(), rt.settings.office, rt.now())
    form.visit.choices = [("", _("Choose a visitor"))] + [
        (str(v.id), " · ".join([v.name, *v.tickets])) for v in desk.visits
    ]
    return render_template(
        "scans/staff.html",
        desk=desk,
        form=form,
        now=rt.now(),
        max_mb=rt.settings.max_upload_mb,
    ), status

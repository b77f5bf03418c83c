"""The librarian's desk: the catalogue exported as MARC21, and a MARC file imported after a dry run.

An uploaded file is kept under the instance folder (`marc-impor/`) between its dry run and the
librarian's confirmation, named by a random token the confirmation carries; it is deleted once
imported, and any left for a day is swept away by the next upload.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from flask import Response, abort, render_template, request, stream_with_context
from flask_babel import gettext as _

from library.catalogue.editing import FIELD_LABELS
from library.catalogue.marc.export import MarcFormat, Selection, export_marc
from library.catalogue.marc.files import read_marc
from library.catalogue.marc.importing import ImportReport, import_records
from library.catalogue.marc.planning import Action, ImportOptions, RecordPlan
from library.catalogue.marc.profile import Words
from library.collection.barcodes import BarcodeNumbering
from library.errors import InvalidInput, PustakaError
from library.i18n import N_
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.desk.blueprint import bp
from webapp.forms import refusals
from webapp.i18n import error_message
from webapp.sending import content_disposition

PENDING = "marc-impor"
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,40}")
SHOWN = 300  # records the report lists one by one; the counts cover all
STALE_SECONDS = 24 * 3600


@bp.get("/marc")
@role_required(Role.LIBRARIAN)
def marc() -> str:
    """Show the MARC page: export the catalogue, or upload a file for a dry run."""
    return render_template("desk/marc.html", report=None, error=None)


@bp.get("/marc/ekspor")
@role_required(Role.LIBRARIAN)
def marc_export() -> Response:
    """Send the catalogue, or a desk search's results, as MARC21 (streamed)."""
    query = request.args.get("q", "", type=str).strip()
    name = "katalog-pustaka" if not query else "katalog-pustaka-pencarian"
    return _download(Selection(query=query), name)


@bp.get("/publikasi/<int:publication_id>/marc")
@role_required(Role.LIBRARIAN)
def marc_one(publication_id: int) -> Response:
    """Send one publication's MARC21 record."""
    return _download(Selection(ids=(publication_id,), with_withdrawn=True), f"publikasi-{publication_id}")


@bp.post("/marc/impor")
@role_required(Role.LIBRARIAN)
def marc_dry_run() -> tuple[str, int]:
    """Keep the uploaded file and show what importing it would do, changing nothing."""
    token = ""
    with refusals() as attempt:
        token = _kept_upload()
        report = _run(token, apply=False)
    if attempt.failed:
        if token:
            _pending(token).unlink(missing_ok=True)  # a refused file is not kept for a confirmation
        return render_template("desk/marc.html", report=None, error=error_message(attempt.error)), 400
    return _report_page(report, token), 200


@bp.post("/marc/impor/terapkan")
@role_required(Role.LIBRARIAN)
def marc_apply() -> tuple[str, int]:
    """Import the file a dry run showed, as it planned, a batch of records per transaction."""
    token = request.form.get("token", "")
    if not TOKEN.fullmatch(token) or not _pending(token).exists():
        message = _("This import was done already, or its file is gone: upload the file again.")
        return render_template("desk/marc.html", report=None, error=message), 400
    with refusals() as attempt:
        report = _run(token, apply=True)
    if attempt.failed:
        return render_template("desk/marc.html", report=None, error=error_message(attempt.error)), 400
    _pending(token).unlink(missing_ok=True)
    return _report_page(report, None), 200


def _download(selection: Selection, name: str) -> Response:
    """Stream an export in the format asked, its unit of work open until the last chunk is sent."""
    wanted = request.args.get("format", "xml")
    if wanted not in {f.value for f in MarcFormat}:
        abort(404)
    marc_format = MarcFormat(wanted)
    rt = current_runtime()
    base = rt.settings.base_url.rstrip("/")
    stack = ExitStack()
    uow = stack.enter_context(rt.uow())
    try:
        chunks = export_marc(
            uow,
            current_actor(),
            selection,
            marc_format,
            lambda n: f"{base}/katalog/{n}",
            lambda i: f"{base}/id/{i}",
        )
    except BaseException:
        stack.close()
        raise

    def body() -> Iterator[bytes]:
        with stack:
            yield from chunks

    filename = f"{name}.{'xml' if marc_format is MarcFormat.XML else 'mrc'}"
    return Response(
        stream_with_context(body()),
        mimetype=marc_format.media_type,
        headers={"Content-Disposition": content_disposition(filename)},
    )


def _kept_upload() -> str:
    """Keep the uploaded MARC file under the instance folder; return its token."""
    upload = request.files.get("berkas")
    if upload is None or not upload.filename:
        raise InvalidInput(N_("Choose a MARC file (.mrc or .xml) to import."))
    folder = _pending("x").parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for old in folder.glob("*.marc"):
        if time.time() - old.stat().st_mtime > STALE_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    upload.save(_pending(token))
    return token


def _run(token: str, *, apply: bool) -> ImportReport:
    """Dry-run or import a kept file with the options of the form."""
    rt = current_runtime()
    path = _pending(token)
    options = ImportOptions(
        default_office=rt.settings.office,
        replace=request.form.get("ganti") == "1",
        drafts=request.form.get("draf") == "1",
        numbering=BarcodeNumbering(rt.settings.item_barcode_pattern, rt.settings.office),
    )
    with path.open("rb") as stream:
        records = read_marc(stream, path.stat().st_size, rt.settings.marc_import_max_mb * 1_000_000)
        return import_records(
            rt.transaction if apply else rt.uow,
            current_actor(),
            rt.jobs,
            records,
            options,
            apply=apply,
            now=rt.now(),
        )


def _pending(token: str) -> Path:
    """Return where a kept upload lies."""
    return current_runtime().settings.instance_path / PENDING / f"{token}.marc"


def _report_page(report: ImportReport, token: str | None) -> str:
    """Render the report of a dry run (with its confirmation) or of an import."""
    return render_template(
        "desk/marc.html",
        report=report,
        plans=[_plan_view(plan) for plan in report.plans[:SHOWN]],
        hidden=max(0, len(report.plans) - SHOWN),
        token=token,
        replace=request.form.get("ganti") == "1",
        drafts=request.form.get("draf") == "1",
        error=None,
    )


def _plan_view(plan: RecordPlan) -> dict[str, object]:
    """Return one record of the report in the visitor's language."""
    return {
        "number": plan.number,
        "title": plan.title,
        "action": plan.action.value,
        "publication_id": plan.publication_id,
        "matched_by": _(plan.matched_by) if plan.matched_by else "",
        "problem": _said(plan.problem) if plan.problem else "",
        "changes": [(_(FIELD_LABELS.get(c.field, c.field)), c.old, c.new, c.applied) for c in plan.changes],
        "holdings": plan.holdings,
        "notes": [_said(note) for note in plan.notes],
        "created": plan.action is Action.CREATE,
    }


def _said(words: Words) -> str:
    """Translate a sentence of the import and fill in its values."""
    params = {k: _said(v) if isinstance(v, Words) else str(v) for k, v in words.params.items()}
    return error_message(PustakaError(words.message, **params))

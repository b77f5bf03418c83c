"""A stamped copy of one file version, sent at once: the desk's button and the reader's alike."""

from __future__ import annotations

from flask import flash, redirect, request
from werkzeug.wrappers import Response

from library.catalogue.version_copies import CopyTerms, check_version_copy
from webapp.auth import current_actor
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.sending import send_stored


def send_version_copy(publication_id: int, number: int, back: str) -> Response:
    """Stamp a copy of the version for the person asking and send it; refused, go `back` saying why."""
    rt = current_runtime()
    terms = CopyTerms(rt.delivery_key, rt.links.verify_base, request.remote_addr or "")
    with refusals() as attempt, rt.transaction() as uow:
        record = check_version_copy(
            uow,
            rt.store,
            current_actor(),
            publication_id,
            number,
            terms,
            rt.today(),
            now=rt.now(),
        )
    if attempt.failed:
        flash(attempt.message, "error")
        return redirect(back, code=303)
    return send_stored(rt, record.output_sha256, f"publikasi-{publication_id}-versi-{number}.pdf")

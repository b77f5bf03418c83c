"""The visitor's download of the pages scanned for them, from "My requests"; never onto a terminal."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.errors import StorageError
from library.frontoffice.scans.copies import ScanDownloadsSpent, ScanLinkExpired, check_scan_download
from library.i18n import N_
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.scans.blueprint import ID, bp
from webapp.sending import send_stored
from webapp.terminal_visitor import current_terminal_visitor


@bp.post(f"/permintaan/pindai/<{ID}:scan_id>/unduh")
@role_required()
def download(scan_id: int) -> Response | tuple[str, int]:
    """Send the stamped copy to the visitor's own account, within the link's time and cap."""
    if current_terminal_visitor() is not None:
        flash(_("Copies are sent to your email and your account; download them on your own device."), "info")
        return render_template("scans/link_problem.html", message=""), 403
    rt = current_runtime()
    with (
        refusals(catch=(ScanLinkExpired, ScanDownloadsSpent)) as attempt,
        rt.transaction() as uow,
    ):
        grant = check_scan_download(uow, current_actor(), scan_id, rt.now(), request.remote_addr or "")
        if not rt.store.exists(grant.sha256):
            # Not counted (the transaction rolls back): the copy must be made again.
            raise StorageError(N_("The stamped file is missing; please tell the PST staff."))
    if attempt.failed:
        return render_template("scans/link_problem.html", message=attempt.message), 410
    return send_stored(rt, grant.sha256, grant.filename)

"""/admin/cadangan: the administrators' list of backups (time, size, files, verified, kept by); a button.

The list is read from `backup_run` in the database, so a web host that does not mount the backup
folder shows it too; the button queues a backup on the batch lane, made by a worker that may
write the backup folder, exactly as the nightly timer makes one.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.models import Role
from library.moving.runs import backup_status, listed_runs
from webapp.auth import role_required
from webapp.backups.blueprint import bp
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm


@bp.get("/")
@role_required(Role.ADMIN)
def backups() -> str:
    """List the backups kept and the last runs, with the button that starts one."""
    rt = current_runtime()
    with rt.uow() as uow:
        runs = listed_runs(uow)
        status = backup_status(uow)
    return render_template(
        "backups/list.html",
        runs=runs,
        status=status,
        form=ActionForm(),
        folder=rt.settings.backup_path,
        policy=rt.settings.backup_keep,
    )


@bp.post("/buat")
@role_required(Role.ADMIN)
def start() -> Response | tuple[str, int]:
    """Queue a backup for a worker to make now."""
    if not ActionForm().validate_on_submit():
        flash(_("The form could not be read; please try again."), "error")
        return redirect(url_for("backups.backups"), code=303)
    current_runtime().jobs.backup()
    flash(_("A backup was started: it appears below once a worker has made it."), "success")
    return redirect(url_for("backups.backups"), code=303)

"""/admin/loker: the administrator adds the office's lockers, renames them, takes them out of use."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.errors import InvalidField, NotFound
from library.frontoffice.lockers.admin import (
    check_add_lockers,
    check_rename_locker,
    check_set_locker_active,
    lockers_of,
)
from library.frontoffice.lockers.stock import LockerConflict
from library.models import Role
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.lockers.blueprint import ID, bp, refusal_status
from webapp.lockers.forms import AddLockersForm, RenameLockerForm

SHOWN_LABELS = 12  # a long range is named by its first labels and a count


@bp.get("/admin/loker")
@role_required(Role.ADMIN)
def lockers() -> tuple[str, int]:
    """List the office's lockers with the forms to add, rename and take them out of use."""
    return _page(AddLockersForm(formdata=None))


@bp.post("/admin/loker/tambah")
@role_required(Role.ADMIN)
def add() -> Response | tuple[str, int]:
    """Add lockers: one label, a range such as A-01..A-20, or several separated by commas."""
    rt = current_runtime()
    form = AddLockersForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    with (
        refusals(form, catch=(InvalidField, NotFound, LockerConflict), status=refusal_status) as attempt,
        rt.transaction() as uow,
    ):
        added = check_add_lockers(uow, current_actor(), rt.settings.office, form.labels.data or "")
    if attempt.failed:
        return _page(form, status=attempt.status)
    flash(
        _("Lockers added (%(count)s): %(labels)s.", count=len(added.added), labels=_some(added.added)),
        "success",
    )
    if added.existing:
        flash(_("The office had these already: %(labels)s.", labels=_some(added.existing)), "info")
    return redirect(url_for("lockers.lockers"), code=303)


@bp.post(f"/admin/loker/<{ID}:locker_id>/nama")
@role_required(Role.ADMIN)
def rename(locker_id: int) -> Response | tuple[str, int]:
    """Give a locker a new label."""
    rt = current_runtime()
    form = RenameLockerForm()
    if not form.validate_on_submit():
        return _page(AddLockersForm(formdata=None), _("The form could not be read; please try again."), 400)
    with (
        refusals(catch=(InvalidField, NotFound, LockerConflict), status=refusal_status) as attempt,
        rt.transaction() as uow,
    ):
        old, new = check_rename_locker(
            uow, current_actor(), rt.settings.office, locker_id, form.label.data or ""
        )
    if attempt.failed:
        return _page(AddLockersForm(formdata=None), attempt.message, attempt.status)
    if old != new:
        flash(_("Locker %(old)s is now called %(new)s.", old=old, new=new), "success")
    return redirect(url_for("lockers.lockers"), code=303)


@bp.post(f"/admin/loker/<{ID}:locker_id>/status")
@role_required(Role.ADMIN)
def set_active(locker_id: int) -> Response | tuple[str, int]:
    """Take a locker out of use, or put it back in use."""
    rt = current_runtime()
    active = request.form.get("aktif") == "1"
    if not ActionForm().validate_on_submit():
        return _page(AddLockersForm(formdata=None), _("The form could not be read; please try again."), 400)
    with (
        refusals(catch=(NotFound, LockerConflict), status=refusal_status) as attempt,
        rt.transaction() as uow,
    ):
        label = check_set_locker_active(uow, current_actor(), rt.settings.office, locker_id, active)
    if attempt.failed:
        return _page(AddLockersForm(formdata=None), attempt.message, attempt.status)
    if active:
        flash(_("Locker %(locker)s is in use again.", locker=label), "success")
    else:
        flash(_("Locker %(locker)s is out of use: it is no longer offered.", locker=label), "success")
    return redirect(url_for("lockers.lockers"), code=303)


def _some(labels: tuple[str, ...]) -> str:
    """Name the first labels of a list and how many more there are."""
    shown = ", ".join(labels[:SHOWN_LABELS])
    more = len(labels) - SHOWN_LABELS
    return shown if more <= 0 else _("%(labels)s and %(count)s more", labels=shown, count=more)


def _page(form: AddLockersForm, error: str = "", status: int = 200) -> tuple[str, int]:
    """Render the office's lockers with the add form and a form per locker."""
    rt = current_runtime()
    with rt.uow() as uow:
        rows = lockers_of(uow, current_actor(), rt.settings.office)
    return render_template(
        "lockers/admin.html",
        rows=rows,
        form=form,
        error=error,
        rename=RenameLockerForm(formdata=None),
        action=ActionForm(),
    ), status

"""/admin: administrators find people, give them staff roles, deactivate accounts."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from library.accounts import users
from library.errors import InvalidInput
from library.models import Role, User
from webapp.accounts.admin_forms import RolesForm
from webapp.accounts.blueprint import admin_bp
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.paging import page_number

log = logging.getLogger(__name__)
PER_PAGE = 25


def _admin() -> User:
    """Return the signed-in administrator (the views here all require one)."""
    actor = current_actor()
    assert actor is not None, "guarded by role_required"
    return actor


@admin_bp.get("/pengguna")
@role_required(Role.ADMIN)
def users_list() -> str:
    """List people, optionally those whose name or email contains the search words."""
    query = users.search_words(request.args.get("q", "", type=str))
    page = page_number()
    with current_runtime().uow() as uow:
        listing = users.list_users(uow, _admin(), query=query, page=page, per_page=PER_PAGE)
    return render_template("accounts/admin/users.html", listing=listing, query=query)


@admin_bp.get("/pengguna/<int:user_id>")
@role_required(Role.ADMIN)
def user_detail(user_id: int) -> tuple[str, int]:
    """Show one person with the forms to change their roles and status."""
    return _render_detail(user_id)


def _render_detail(user_id: int, roles_form: RolesForm | None = None, error: str = "") -> tuple[str, int]:
    """Render a person's administration page."""
    with current_runtime().uow() as uow:
        person = users.get_user(uow, _admin(), user_id)
    if roles_form is None:
        roles_form = RolesForm(formdata=None, data={"roles": [r.value for r in person.roles]})
    return render_template(
        "accounts/admin/user.html",
        person=person,
        roles_form=roles_form,
        status_form=ActionForm(),
        error=error,
    ), (400 if error else 200)


@admin_bp.post("/pengguna/<int:user_id>/peran")
@role_required(Role.ADMIN)
def set_roles(user_id: int) -> Response | tuple[str, int]:
    """Give the person exactly the ticked staff roles."""
    form = RolesForm()
    if not form.validate_on_submit():
        return _render_detail(user_id, form, error=_("Choose roles from the list."))
    with refusals(catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
        person = users.check_set_staff_roles(uow, _admin(), user_id, users.parse_roles(form.roles.data or []))
    if attempt.failed:
        return _render_detail(user_id, form, error=attempt.message)
    log.info(
        "Admin %s set the roles of account %s to %s",
        _admin().id,
        user_id,
        ",".join(sorted(r.value for r in person.roles)),
    )
    flash(_("The roles of %(name)s have been saved.", name=person.name), "success")
    return redirect(url_for("accounts_admin.user_detail", user_id=user_id), code=303)


@admin_bp.post("/pengguna/<int:user_id>/status")
@role_required(Role.ADMIN)
def set_active(user_id: int) -> Response | tuple[str, int]:
    """Deactivate the person (signed out at once) or activate them again."""
    active = request.form.get("aktif") == "1"
    if not ActionForm().validate_on_submit():
        return _render_detail(user_id, error=_("The form could not be read; please try again."))
    with refusals(catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
        person = users.check_set_active(uow, _admin(), user_id, active)
    if attempt.failed:
        return _render_detail(user_id, error=attempt.message)
    log.info("Admin %s set account %s active=%s", _admin().id, user_id, active)
    if active:
        flash(_("%(name)s can sign in again.", name=person.name), "success")
    else:
        flash(_("%(name)s has been deactivated and signed out.", name=person.name), "success")
    return redirect(url_for("accounts_admin.user_detail", user_id=user_id), code=303)

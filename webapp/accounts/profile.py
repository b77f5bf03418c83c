"""/profil: a signed-in person's own details, password and email address."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from library.accounts import credentials, registration
from library.errors import InvalidInput
from library.models import User
from webapp.accounts.blueprint import bp
from webapp.accounts.forms import ChangeEmailForm, ChangePasswordForm, ProfileForm
from webapp.auth import SignedIn, client_address, current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import refusals


def _actor() -> User:
    """Return the signed-in person (the views here all require one)."""
    actor = current_actor()
    assert actor is not None, "guarded by role_required"
    return actor


def _forms(profile: object, **submitted: FlaskForm) -> dict[str, FlaskForm]:
    """Return the page's three forms: the submitted one as sent, the others filled in afresh."""
    details = submitted.get("details") or ProfileForm(obj=profile, formdata=None)
    return {
        "details": details,
        "password_form": submitted.get("password_form") or ChangePasswordForm(formdata=None, prefix="sandi"),
        "email_form": submitted.get("email_form") or ChangeEmailForm(formdata=None, prefix="email"),
    }


def _render(status: int = 200, **submitted: FlaskForm) -> tuple[str, int]:
    """Render the profile page with its forms."""
    with current_runtime().uow() as uow:
        profile = registration.get_profile(uow, _actor())
    forms = _forms(profile, **submitted)
    has_errors = any(form.errors for form in forms.values())
    return render_template("accounts/profile.html", profile=profile, **forms), (400 if has_errors else status)


@bp.get("/profil")
@role_required()
def profile() -> tuple[str, int]:
    """Show the signed-in person's details and the forms to change them."""
    return _render()


@bp.post("/profil")
@role_required()
def update_profile() -> Response | tuple[str, int]:
    """Change name, institution and occupation."""
    form = ProfileForm()
    if form.validate_on_submit():
        with refusals(form, catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
            registration.check_update_profile(
                uow,
                _actor(),
                name=form.name.data or "",
                institution=form.institution.data or "",
                occupation=form.occupation.data or "",
            )
        if not attempt.failed:
            flash(_("Your details have been saved."), "success")
            return redirect(url_for("accounts.profile"), code=303)
    return _render(details=form)


@bp.post("/profil/sandi")
@role_required()
def change_password() -> Response | tuple[str, int]:
    """Change the password; every other session is signed out."""
    form = ChangePasswordForm(prefix="sandi")
    if form.validate_on_submit():
        with refusals(form, catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
            user = credentials.check_change_password(
                uow,
                current_runtime().account_services(),
                _actor(),
                current=form.current_password.data or "",
                new=form.new_password.data or "",
                client=client_address(),
                now=current_runtime().now(),
            )
        if not attempt.failed:
            login_user(SignedIn(user), fresh=True)  # this session goes on with the new counter
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.profile"), code=303)
    return _render(password_form=form)


@bp.post("/profil/email")
@role_required()
def change_email() -> Response | tuple[str, int]:
    """Ask to move the account to a new address; it moves when the link sent there is opened."""
    form = ChangeEmailForm(prefix="email")
    if form.validate_on_submit():
        with refusals(form, catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
            new_email = credentials.check_request_email_change(
                uow,
                current_runtime().account_services(),
                _actor(),
                new_email=form.new_email.data or "",
                password=form.current_password.data or "",
                client=client_address(),
                now=current_runtime().now(),
            )
        if not attempt.failed:
            _say_link_sent(new_email)
            return redirect(url_for("accounts.profile"), code=303)
    return _render(email_form=form)


def _say_link_sent(new_email: str) -> None:
    """Tell the person where the link went and that their address changes only once it is opened."""
    message = _(
        "We sent a link to %(email)s. Your address changes when you open it (within 48 hours).",
        email=new_email,
    )
    flash(message, "success")

"""Accounts: register, verify the email address, sign in and out, reset a forgotten password."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from library.accounts import credentials, registration
from library.accounts.occupations import occupation
from library.accounts.registration import AccountInactive
from library.accounts.users import MIN_PASSWORD_LENGTH
from library.errors import InvalidField, InvalidInput, PustakaError
from library.tokens import LinkExpired, LinkInvalid
from runtime import links
from webapp.accounts.blueprint import bp
from webapp.accounts.forms import (
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from webapp.auth import SignedIn, client_address, current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.i18n import error_message

# A token in the address must not leak to another site through the Referer header.
NO_REFERRER = {"Referrer-Policy": "no-referrer"}


@bp.app_template_filter("occupation_label")
def occupation_label(code: str | None) -> str:
    """Name an occupation category in the visitor's language."""
    found = occupation(code)
    return _(found.label) if found else ""


@bp.app_context_processor
def password_rules() -> dict[str, object]:
    """Give forms the password rules they explain."""
    return {"min_password_length": MIN_PASSWORD_LENGTH}


def _page(template: str, form: FlaskForm | None = None, **context: object) -> tuple[str, int]:
    """Render a form page: 400 when the form has problems, else 200."""
    status = 400 if form is not None and form.errors else 200
    return render_template(template, form=form, **context), status


def _link_problem(kind: str, exc: PustakaError) -> tuple[str, int, dict[str, str]]:
    """Say why a link from an email does not work (kind: "verify" or "reset"), with status 400."""
    page = render_template(
        "accounts/link_problem.html",
        kind=kind,
        message=error_message(exc),
        expired=isinstance(exc, LinkExpired),
    )
    return page, 400, NO_REFERRER


@bp.route("/daftar", methods=["GET", "POST"])
def register() -> Response | tuple[str, int]:
    """Register an online reader and send the verification link."""
    if current_actor() is not None:
        return redirect(url_for("accounts.profile"))
    form = RegisterForm()
    if form.validate_on_submit():
        with refusals(form, catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
            result = registration.check_register(
                uow,
                current_runtime().account_services(),
                form.to_input(),
                client=client_address(),
                now=current_runtime().now(),
            )
        if not attempt.failed:
            session["sent_to"] = result.email
            return redirect(url_for("accounts.registered"), code=303)
    return _page("accounts/register.html", form)


@bp.get("/daftar/terkirim")
def registered() -> str:
    """Tell the person to open the link we mailed them."""
    return render_template("accounts/sent.html", kind="register", email=session.get("sent_to", ""))


@bp.get(links.VERIFY_EMAIL)
def verify_email(token: str) -> tuple[str, int, dict[str, str]]:
    """Follow a verification link: mark the address verified (or move the account to it)."""
    with (
        refusals(catch=(LinkInvalid, LinkExpired, InvalidInput)) as attempt,
        current_runtime().transaction() as uow,
    ):
        result = registration.check_verify_email(
            uow, current_runtime().account_services(), token, now=current_runtime().now()
        )
    if attempt.failed:
        return _link_problem("verify", attempt.error)
    return render_template("accounts/verified.html", result=result), 200, NO_REFERRER


@bp.post("/verifikasi-email/kirim-ulang")
@role_required()
def resend_verification() -> Response:
    """Send the signed-in person a new verification link."""
    back = links.safe_next(request.form.get("next"), url_for("accounts.profile"))
    if not ActionForm().validate_on_submit():
        return redirect(back, code=303)
    actor = current_actor()
    assert actor is not None
    with refusals(catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
        address = registration.check_resend_verification(
            uow,
            current_runtime().account_services(),
            actor,
            client=client_address(),
            now=current_runtime().now(),
        )
    if attempt.failed:
        flash(attempt.message, "info")
    else:
        flash(_("We sent a new link to %(email)s. It works for 48 hours.", email=address), "success")
    return redirect(back, code=303)


@bp.route(links.SIGN_IN, methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    """Sign in with email and password."""
    target = links.safe_next(request.values.get("next"), url_for("home.index"))
    if current_actor() is not None:
        return redirect(target)
    form = LoginForm()
    if form.validate_on_submit():
        with (
            refusals(form, catch=(InvalidInput, AccountInactive)) as attempt,
            current_runtime().transaction() as uow,
        ):
            user = registration.check_sign_in(
                uow,
                current_runtime().throttle,
                email=form.email.data or "",
                password=form.password.data or "",
                client=client_address(),
                now=current_runtime().now(),
            )
        if not attempt.failed:
            _start_session(SignedIn(user), remember=bool(form.remember.data))
            return redirect(target, code=303)
    return _page("accounts/login.html", form, next=target)


def _start_session(signed_in: SignedIn, *, remember: bool) -> None:
    """Sign the person in on a fresh session (nothing from before carries over) and welcome them."""
    session.clear()  # nothing from before signing in carries over (session fixation)
    login_user(signed_in, remember=remember, fresh=True)
    flash(_("Welcome, %(name)s.", name=signed_in.user.name), "success")


@bp.post("/keluar")
def logout() -> Response:
    """Sign out (a POST with the CSRF token, so no other site can sign a person out), on every device."""
    with current_runtime().transaction() as uow:
        registration.do_sign_out(uow, current_actor())
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("home.index"), code=303)


@bp.route(links.FORGOT_PASSWORD, methods=["GET", "POST"])
def forgot_password() -> Response | tuple[str, int]:
    """Ask for a password-reset link by email."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        with refusals(form, catch=InvalidInput) as attempt, current_runtime().transaction() as uow:
            credentials.check_request_password_reset(
                uow,
                current_runtime().account_services(),
                email=form.email.data or "",
                client=client_address(),
                now=current_runtime().now(),
            )
        if not attempt.failed:
            # Whether or not the address has an account: the same answer, after the same work
            # (one job queued; the job looks the address up and sends the mail).
            session["sent_to"] = (form.email.data or "").strip()
            return redirect(url_for("accounts.reset_sent"), code=303)
    return _page("accounts/forgot.html", form)


@bp.get("/lupa-sandi/terkirim")
def reset_sent() -> str:
    """Say a link is on its way if the address has an account."""
    return render_template("accounts/sent.html", kind="reset", email=session.get("sent_to", ""))


@bp.route(links.RESET_PASSWORD, methods=["GET", "POST"])
def reset_password(token: str) -> Response | tuple[str, int, dict[str, str]]:
    """Choose a new password through the link from the reset email."""
    form = ResetPasswordForm()
    with refusals(catch=(LinkInvalid, LinkExpired)) as attempt:
        if form.validate_on_submit() and _reset(token, form):
            logout_user()
            flash(_("Your password has been changed. Sign in with the new password."), "success")
            return redirect(url_for("accounts.login"), code=303)
        with current_runtime().uow() as uow:
            target = credentials.check_reset_token(
                uow, current_runtime().account_services(), token, now=current_runtime().now()
            )
    if attempt.failed:
        return _link_problem("reset", attempt.error)
    body, status = _page("accounts/reset.html", form, target=target, token=token)
    return body, status, NO_REFERRER


def _reset(token: str, form: ResetPasswordForm) -> bool:
    """Set the form's new password through the link; False, with the form saying why, if it is refused.

    A refused password leaves the transaction without a commit; a link that no longer works
    raises on, for the view to say so.
    """
    with refusals(form, catch=InvalidField) as attempt, current_runtime().transaction() as uow:
        credentials.check_reset_password(
            uow,
            current_runtime().account_services(),
            token,
            password=form.password.data or "",
            now=current_runtime().now(),
        )
    return not attempt.failed

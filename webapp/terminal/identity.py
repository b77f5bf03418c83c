"""A visitor at a library terminal shows who they are: a code sent to their email, or their password.

Until then the session acts for the visit alone (`library.frontoffice.identity`): reading, and
nothing of any account. Once proven, the browser is signed in as the visit's account for this
terminal session only; "Selesai", the idle time or the visit's end signs it out again.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from library.frontoffice.identity import (
    Joined,
    check_prove_by_code,
    check_prove_by_password,
    check_send_visit_code,
)
from library.frontoffice.terminal.sessions import Visitor, visitor_of
from library.models import TerminalSession, Visit
from library.uow import UnitOfWork
from watermark.marks.mark import mask_email
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.terminal import guard
from webapp.terminal.forms import AccountPasswordForm, CodeForm
from webapp.terminal_visitor import current_terminal_visitor

NOT_READ = "The form could not be read; please try again."


def send_code() -> BaseResponse:
    """Send a one-time code to the address of the visitor's guest book entry."""
    visitor = current_terminal_visitor()
    if visitor is None or not ActionForm().validate_on_submit():
        return _home(None if visitor is None else _(NOT_READ))
    rt = current_runtime()
    with refusals() as attempt, rt.transaction() as uow:
        visit = uow.session.get_one(Visit, visitor.visit_id)
        address = check_send_visit_code(uow, rt.jobs, rt.throttle, visit, now=rt.now())
    if attempt.failed:
        return _home(attempt.message)
    flash(
        _(
            "We sent a code to %(email)s. Type it below; it works for 15 minutes.",
            email=mask_email(address),
        ),
        "success",
    )
    return redirect(url_for("terminal.home", _anchor="kode"), 303)


def prove_by_code() -> BaseResponse:
    """Join the visit to its email's account with the code the visitor typed."""
    form = CodeForm()
    rt = current_runtime()
    session_id = _session_id()
    return _prove(
        form,
        lambda uow, visit: check_prove_by_code(
            uow, rt.secret_key, rt.throttle, visit, form.code.data or "", now=rt.now(), session_id=session_id
        ),
    )


def prove_by_password() -> BaseResponse:
    """Join the visit to its email's account with that account's password."""
    form = AccountPasswordForm()
    rt = current_runtime()
    session_id = _session_id()
    return _prove(
        form,
        lambda uow, visit: check_prove_by_password(
            uow, rt.throttle, visit, form.password.data or "", now=rt.now(), session_id=session_id
        ),
    )


def _session_id() -> int | None:
    """Return the id of this terminal's session (the one a proof given now is good for)."""
    visitor = current_terminal_visitor()
    return visitor.session_id if visitor is not None else None


def _prove(form: FlaskForm, step: Callable[[UnitOfWork, Visit], object]) -> BaseResponse:
    """Run one proof for the visit reading at this terminal; sign in as its account if it holds."""
    visitor = current_terminal_visitor()
    if visitor is None or not form.validate_on_submit():
        return _home(None if visitor is None else _(NOT_READ))
    with refusals() as attempt, current_runtime().transaction() as uow:
        joined = step(uow, uow.session.get_one(Visit, visitor.visit_id))
    if attempt.failed:
        return _home(attempt.message)
    return _proven(visitor, reclaimed=isinstance(joined, Joined) and joined.reclaimed)


def _proven(before: Visitor, *, reclaimed: bool) -> BaseResponse:
    """Sign the terminal in as the account just proven, for this session only."""
    with current_runtime().uow() as uow:
        row = uow.session.get_one(TerminalSession, before.session_id)
        visitor = visitor_of(uow, row)
    guard.sign_in_visitor(visitor)
    flash(_("Thank you: your identity is checked. You can now ask for softcopies here."), "success")
    if reclaimed:
        flash(
            _(
                "An account had been registered with your address but never verified. It is yours now: "
                "its old password no longer works, and you can choose your own with “Forgot password”."
            ),
            "info",
        )
    return redirect(url_for("terminal.home"), 303)


def _home(problem: str | None) -> BaseResponse:
    """Go back to the terminal's screen, saying what went wrong."""
    if problem:
        flash(problem, "error")
    return redirect(url_for("terminal.home"), 303)

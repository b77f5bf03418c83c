"""/terminal: a library terminal's kiosk screen, visitors' terminal sessions, and their registration.

An admin registers a terminal from the device itself (`/admin/terminal`): the browser gets a
long-lived cookie holding the terminal's token. On that device `/terminal` asks for the
visitor's queue ticket; a session then signs the visitor in as their account (if the visit
has one) for the terminal only, until "Selesai", the idle time, or the visit's end.
"""

from __future__ import annotations

import logging

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from library.frontoffice.terminal.devices import (
    check_deactivate_terminal,
    check_reactivate_terminal,
    check_register_terminal,
    list_terminals,
    terminal_by_token,
)
from library.frontoffice.terminal.sessions import SessionEnd, check_start_session, finish_session, visitor_of
from library.models import Role
from watermark.marks.mark import mask_email
from webapp.auth import current_actor, role_required
from webapp.current_runtime import current_runtime
from webapp.forms import ActionForm, refusals
from webapp.terminal import guard, identity
from webapp.terminal.blueprint import bp
from webapp.terminal.forms import TerminalForm, TicketForm
from webapp.terminal_visitor import SURVEY_KEY, TERMINAL_COOKIE, current_terminal_visitor

log = logging.getLogger(__name__)
COOKIE_DAYS = 400  # the longest a browser keeps a cookie; each visit to the screen renews it
WARN_SECONDS = 60
# The server hears of use at most every ten seconds (guard.TOUCH_EVERY): the screen's own
# timer ends the session this much earlier, so the server never ends it under the visitor.
SCREEN_MARGIN_SECONDS = 15
bp.before_app_request(guard.check_terminal)
bp.after_app_request(guard.no_store)
bp.add_url_rule("/terminal/kode", "send_code", identity.send_code, methods=["POST"])
bp.add_url_rule("/terminal/kode/periksa", "prove_by_code", identity.prove_by_code, methods=["POST"])
bp.add_url_rule("/terminal/kata-sandi", "prove_by_password", identity.prove_by_password, methods=["POST"])


@bp.app_context_processor
def terminal_context() -> dict[str, object]:
    """Tell every page who reads at this terminal, and the idle times its script keeps."""
    limit = current_runtime().settings.terminal_idle_minutes * 60
    idle = max(limit - SCREEN_MARGIN_SECONDS, limit // 2)
    return {
        "terminal_visitor": current_terminal_visitor(),
        "terminal_idle_seconds": idle,
        "terminal_warn_seconds": min(WARN_SECONDS, idle // 2),
    }


def _this_terminal() -> tuple[int, str] | None:
    """Return the id and name of the terminal this browser is, or None."""
    with current_runtime().uow() as uow:
        terminal = terminal_by_token(uow, request.cookies.get(TERMINAL_COOKIE))
        return (terminal.id, terminal.name) if terminal else None


def _not_a_terminal() -> tuple[str, int]:
    """Render the page of a browser that is not a registered terminal."""
    return render_template("terminal/not_terminal.html"), 403


def _keep_cookie(response: BaseResponse) -> BaseResponse:
    """Renew the terminal's cookie, so a terminal in use never forgets what it is."""
    token = request.cookies.get(TERMINAL_COOKIE)
    if token:
        _set_cookie(response, token)
    return response


def _set_cookie(response: BaseResponse, token: str) -> None:
    """Store the terminal's token in this browser: long-lived, out of scripts' reach."""
    response.set_cookie(
        TERMINAL_COOKIE,
        token,
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


@bp.get("/terminal")
def home() -> BaseResponse | tuple[str, int]:
    """Show the visitor's session, or ask for a ticket; a browser that is no terminal is told so."""
    terminal = _this_terminal()
    if terminal is None:
        return _not_a_terminal()
    left_survey = session.pop(SURVEY_KEY, None)  # back at the screen: the last visitor's survey closes
    visitor = current_terminal_visitor()
    if visitor is not None:
        page = render_template(
            "terminal/session.html", visitor=visitor, masked_email=mask_email(visitor.email)
        )
    else:
        if current_user.is_authenticated:
            guard.sign_out()  # the ticket screen never keeps anyone signed in
        page = render_template("terminal/ticket.html", form=TicketForm(formdata=None), terminal=terminal[1])
    response = _keep_cookie(Response(page))
    if left_survey:
        guard.forget_language(response)  # the last visitor's language goes with their survey
    return response


@bp.post("/terminal/mulai")
def start() -> BaseResponse | tuple[str, int]:
    """Start a terminal session with the ticket the visitor typed or scanned."""
    form = TicketForm()
    rt = current_runtime()
    if not form.validate_on_submit():
        form.form_errors.append(_("The form could not be read; please try again."))
        return _ticket_again(form)
    with refusals(form) as attempt, rt.transaction() as uow:
        terminal = terminal_by_token(uow, request.cookies.get(TERMINAL_COOKIE))
        if terminal is None:
            return _not_a_terminal()  # nothing written: the commit is empty
        started = check_start_session(uow, terminal, form.ticket.data or "", rt.now())
        visitor = visitor_of(uow, started)
    if attempt.failed:
        return _ticket_again(form)
    guard.sign_in_visitor(visitor)
    return redirect(url_for(".home"), 303)


def _ticket_again(form: TicketForm) -> tuple[str, int]:
    """Show the ticket screen again with what was wrong."""
    terminal = _this_terminal()
    if terminal is None:
        return _not_a_terminal()
    return render_template("terminal/ticket.html", form=form, terminal=terminal[1]), 400


@bp.post("/terminal/selesai")
def finish() -> BaseResponse:
    """End the visitor's session ("Selesai", or the screen's idle timer) and clear the browser."""
    visitor = current_terminal_visitor()
    idle = request.form.get("karena") == "idle"
    survey = None
    if visitor is not None:
        rt = current_runtime()
        because = SessionEnd.IDLE if idle else SessionEnd.DONE
        with rt.transaction() as uow:
            # Asked here and now; by email later unless answered here (`finish_session`).
            survey = finish_session(uow, visitor.session_id, rt.now(), because, rt.jobs)
    guard.sign_out()
    _say_goodbye(idle)
    return _leave(survey, idle)


def _say_goodbye(idle: bool) -> None:
    """Say why the session ended: in the visitor's language when they pressed "Selesai", else the site's.

    An idle end is read by whoever comes next, so it speaks the site's own language.
    """
    language = current_app.config["PUSTAKA_DEFAULT_LOCALE"] if idle else str(get_locale())
    with force_locale(language):
        if idle:
            flash(_("The session ended because the terminal was not used for a while."), "info")
        else:
            flash(_("Thank you. Your session has ended and nothing of it stays on this terminal."), "success")


def _leave(survey: str | None, idle: bool = False) -> BaseResponse:
    """Send the screen to the survey offered to the visitor leaving, or back to its start.

    The visitor leaving the terminal is asked to rate the service there and then (SKM); the
    survey stays open on this screen only until they answer or leave it (`SURVEY_KEY`).
    """
    if survey:
        session[SURVEY_KEY] = survey
    target = url_for("survey.answer", token=survey) if survey else url_for(".home")
    response = redirect(target, 303)
    if idle or not survey:  # a survey is asked in the visitor's language; the screen forgets it after
        guard.forget_language(response)
    return response


@bp.post("/terminal/sentuh")
def touch() -> BaseResponse:
    """Note that the visitor is still using the terminal (its script calls this on activity)."""
    if current_terminal_visitor() is None:
        return Response(_("Your session has ended."), 401, mimetype="text/plain")
    return Response(status=204)


@bp.route("/admin/terminal", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def admin_terminals() -> BaseResponse | tuple[str, int]:
    """List the office's terminals and register this browser as a new one."""
    form = TerminalForm()
    rt = current_runtime()
    if form.validate_on_submit():
        with refusals(form) as attempt, rt.transaction() as uow:
            terminal, token = check_register_terminal(
                uow,
                current_actor(),
                form.name.data or "",
                rt.now(),
                office_code=rt.settings.office,
            )
            name = terminal.name
        if not attempt.failed:
            return _became_terminal(name, token)
    return _admin_page(form)


def _became_terminal(name: str, token: str) -> BaseResponse:
    """Make this browser the terminal just registered: its cookie set, the admin signed out."""
    log.info("Admin %s registered terminal %r", getattr(current_actor(), "id", None), name)
    guard.sign_out()  # a terminal never keeps a staff member signed in
    flash(
        _(
            "This browser is now the library terminal “%(name)s”. You have been signed out.",
            name=name,
        ),
        "success",
    )
    response = redirect(url_for(".home"), 303)
    _set_cookie(response, token)
    return response


def _admin_page(form: TerminalForm) -> tuple[str, int]:
    """Render the office's terminals with the form that registers this browser (400 when it was refused)."""
    rt = current_runtime()
    with rt.uow() as uow:
        terminals = list_terminals(uow, current_actor(), office_code=rt.settings.office)
    return render_template(
        "terminal/admin.html",
        form=form,
        terminals=terminals,
        this_terminal=_this_terminal(),
        action_form=ActionForm(),
    ), (400 if form.errors else 200)


@bp.post("/admin/terminal/<int:terminal_id>/nonaktif")
@role_required(Role.ADMIN)
def deactivate(terminal_id: int) -> BaseResponse:
    """Stop a terminal from being one, once confirmed; a visitor reading there is signed out."""
    rt = current_runtime()
    if not ActionForm().validate_on_submit():
        flash(_("The form could not be read; please try again."), "error")
        return redirect(url_for(".admin_terminals"), 303)
    if request.form.get("yakin") != "1":
        flash(_("Tick the box to confirm: a visitor reading at that terminal is signed out."), "error")
        return redirect(url_for(".admin_terminals"), 303)
    with refusals() as attempt, rt.transaction() as uow:
        name = check_deactivate_terminal(uow, current_actor(), terminal_id, rt.now()).name
    if attempt.failed:
        flash(attempt.message, "error")
    else:
        flash(
            _("“%(name)s” is no longer a library terminal; “Activate again” undoes it.", name=name),
            "success",
        )
    return redirect(url_for(".admin_terminals"), 303)


@bp.post("/admin/terminal/<int:terminal_id>/aktifkan")
@role_required(Role.ADMIN)
def reactivate(terminal_id: int) -> BaseResponse:
    """Make a deactivated terminal one again: its browser needs no new registration."""
    rt = current_runtime()
    if not ActionForm().validate_on_submit():
        flash(_("The form could not be read; please try again."), "error")
        return redirect(url_for(".admin_terminals"), 303)
    with refusals() as attempt, rt.transaction() as uow:
        name = check_reactivate_terminal(uow, current_actor(), terminal_id).name
    if attempt.failed:
        flash(attempt.message, "error")
    else:
        flash(_("“%(name)s” is a library terminal again.", name=name), "success")
    return redirect(url_for(".admin_terminals"), 303)

"""Before every request on a library terminal: is the visitor's session still live, and where may it go.

A terminal session lives in the signed session cookie (`terminal_session_id`) and in the
database. Each request checks both against the terminal's own cookie: a session that ended
(idle, visit closed, another visitor, the terminal deactivated) signs the browser out on the
spot. A live session may use the collection, the reader and the request form only; the rest
of the site leads back to the terminal screen. Nothing a terminal shows may be cached.
"""

from __future__ import annotations

import datetime as dt

from flask import Response, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from library.frontoffice.terminal.devices import terminal_by_token
from library.frontoffice.terminal.sessions import Visitor, active_session, touch, visitor_of
from library.i18n import N_
from library.models import User
from webapp import i18n
from webapp.auth import load_user
from webapp.current_runtime import current_runtime
from webapp.terminal_visitor import SESSION_KEY, TERMINAL_COOKIE, set_terminal_visitor

TOUCH_EVERY = dt.timedelta(seconds=10)  # the idle clock needs no finer grain than this
KIOSK = {
    "terminal.home",
    "terminal.start",
    "terminal.finish",
    "terminal.touch",
    "terminal.send_code",
    "terminal.prove_by_code",
    "terminal.prove_by_password",
}
ANYWHERE = {"static", "language.switch", "favicon"}  # what any page asks for on the way (the icon)
READING = {"catalogue", "search", "reader"}  # blueprints a session may use
REQUESTS = {"softcopy.new", "softcopy.mine", "softcopy.detail", "softcopy.download"}
# On a terminal with nobody's session: the screen, and what an admin needs to manage it.
# The SKM survey a visitor is asked to fill in as they finish, on the terminal itself.
DEVICE = {
    "accounts.login",
    "accounts.logout",
    "terminal.admin_terminals",
    "terminal.deactivate",
    "survey.answer",
    "survey.thanks",
}
NO_ACCOUNT = N_(
    "Softcopies are sent to an email address, and your guest book entry has none. "
    "Ask the front office to add yours; you can read here meanwhile."
)
NOT_PROVEN = N_(
    "To ask for softcopies, first show that the email address of your guest book entry is yours: "
    "with a code we send to it, your account's password, or your ID card at the front office."
)
QUIET = {"reader.page_image", "terminal.touch"}  # asked by scripts: a status, not a page


def check_terminal() -> BaseResponse | None:
    """Sign out a terminal session that has ended, and keep a live one inside the terminal's pages."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None
    token = request.cookies.get(TERMINAL_COOKIE)
    session_id = session.get(SESSION_KEY)
    if not token and session_id is None:
        return None
    # "Selesai" sent by the screen's idle timer is no activity: the service ended at the last one.
    touching = None if endpoint == "terminal.finish" else endpoint == "terminal.touch"
    visitor, device = _visitor(token, session_id, always_touch=touching)
    g.terminal_device = device
    set_terminal_visitor(visitor)
    if session_id is not None and visitor is None:
        if endpoint in QUIET or request.headers.get("Sec-Fetch-Mode", "navigate") != "navigate":
            # An image's or a script's request, perhaps sent before "Selesai" and answered after
            # it: say so and leave the cookie alone (a browser keeps the last one it is sent, and
            # a cleared one would undo what the page did meanwhile, the survey's offer included).
            return Response(_("Your session has ended."), 401, mimetype="text/plain")
        sign_out()
        return _ended()
    if visitor is not None:
        signed = getattr(getattr(current_user, "user", None), "id", None)
        if visitor.user_id is not None and signed != visitor.user_id:
            _sign_in_account(visitor)  # proven meanwhile (the ID card seen at the front office)
        return _inside_session(visitor, endpoint)
    if device and endpoint not in KIOSK | ANYWHERE | DEVICE and not endpoint.startswith("health."):
        return redirect(url_for("terminal.home"), 303)
    return None


def _visitor(
    token: str | None, session_id: object, *, always_touch: bool | None
) -> tuple[Visitor | None, bool]:
    """Return the live session's visitor and whether this device is a terminal.

    The session is touched (its idle clock restarted) now and then, always when
    `always_touch`, and never when it is None.
    """
    rt = current_runtime()
    now = rt.now()
    with rt.transaction() as uow:
        terminal = terminal_by_token(uow, token)
        if terminal is None:
            return None, False  # nothing written: the commit is empty
        live = active_session(uow, terminal, now, rt.settings.terminal_idle_minutes)
        visitor = None
        if live is not None and live.id == session_id:
            if always_touch or (always_touch is not None and now - live.last_active_at >= TOUCH_EVERY):
                touch(live, now)
            visitor = visitor_of(uow, live)
    return visitor, True


def _ended() -> BaseResponse:
    """Answer a page asked for in a session that has ended: back to the terminal screen."""
    flash(_("Your session at this terminal has ended."), "info")
    response = redirect(url_for("terminal.home"), 303)
    forget_language(response)
    return response


def _inside_session(visitor: Visitor, endpoint: str) -> BaseResponse | None:
    """Let a session use the terminal, the collection and its requests; send anything else home."""
    if endpoint in KIOSK | ANYWHERE or endpoint.partition(".")[0] in READING:
        return None
    if endpoint in REQUESTS:
        if visitor.can_request:
            return None
        flash(_(NOT_PROVEN if visitor.has_email else NO_ACCOUNT), "info")
    return redirect(url_for("terminal.home"), 303)


def sign_in_visitor(visitor: Visitor) -> None:
    """Make this browser the visitor's for the session: their proven account, if the visit has one."""
    sign_out()
    _sign_in_account(visitor)
    session[SESSION_KEY] = visitor.session_id


def _sign_in_account(visitor: Visitor) -> None:
    """Sign the browser in as the visit's proven account (none: the session acts for the visit)."""
    if visitor.user_id is None:
        return
    with current_runtime().uow() as uow:
        version = uow.session.scalar(select(User.session_version).where(User.id == visitor.user_id))
    signed = load_user(f"{visitor.user_id}:{version}") if version is not None else None
    if signed is not None:
        login_user(signed)


def sign_out() -> None:
    """Sign the visitor out and forget everything the session cookie held."""
    logout_user()
    session.clear()
    set_terminal_visitor(None)


def forget_language(response: BaseResponse) -> None:
    """Let the next visitor start in the site's own language."""
    response.delete_cookie(i18n.COOKIE)


def no_store(response: BaseResponse) -> BaseResponse:
    """Keep every page of a terminal out of the browser's caches (and so out of the back button)."""
    if (g.get("terminal_device") or SESSION_KEY in session) and "no-store" not in (
        response.headers.get("Cache-Control") or ""
    ):
        response.headers["Cache-Control"] = "no-store"
    return response

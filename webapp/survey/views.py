"""/survei: the SKM satisfaction survey a one-use link opens, with no sign-in needed."""

from __future__ import annotations

import re
import secrets

from flask import g, make_response, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from library.errors import PustakaError
from library.i18n import N_
from library.quality.elements import ELEMENTS
from library.quality.survey import (
    COMMENT_MAX,
    SURVEY_DAYS,
    SurveyAnswered,
    SurveyExpired,
    SurveyView,
    open_survey,
    submit_survey,
)
from runtime import links
from webapp.auth import from_office_tablet
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.i18n import error_message, speak
from webapp.survey.blueprint import bp
from webapp.survey.forms import SurveyForm
from webapp.terminal_visitor import ANSWERED_HERE, SURVEY_KEY, survey_open_here

CLOSED_HERE = N_(
    "This survey is closed on this terminal: the visitor who was asked has left it. "
    "A visitor who gave an email address also has the link there."
)
BROWSER_COOKIE = "pustaka_survey_browser"  # a random name for the browser, never a person
_BROWSER_VALUE = re.compile(r"[A-Za-z0-9_-]{16,64}")
BROWSER_COOKIE_DAYS = 400


@bp.route(links.SURVEY, methods=["GET", "POST"])
def answer(token: str) -> Response | tuple[str, int]:
    """Show the survey of an invitation and store its one answer."""
    rt = current_runtime()
    if not survey_open_here(token):
        # Back on a terminal after the visitor left their survey: the next one must not send it.
        return _closed(PustakaError(CLOSED_HERE))
    with refusals() as attempt, rt.uow() as uow:
        view = open_survey(uow, token, rt.now())
    if attempt.failed:
        return _closed(attempt.error)
    speak(view.language, on_kiosk=False)  # a walk-in's survey speaks the guest book's language
    form = SurveyForm()
    if form.validate_on_submit():
        done = _submit(token, form)
        if done is not None:
            return done
    return _named_browser(make_response(*_page(form, view)))


def _submit(token: str, form: SurveyForm) -> Response | tuple[str, int] | None:
    """Store the answers; return where to go next, or None when the form shows what to correct."""
    rt = current_runtime()
    answers = {element.code: form[element.code].data or "" for element in ELEMENTS}
    with refusals(form) as attempt, rt.transaction() as uow:
        submit_survey(uow, token, answers, form.comment.data or "", rt.now(), browser=_browser())
    if attempt.failed and isinstance(attempt.error, SurveyAnswered):  # answered meanwhile, from another tab
        return _closed(attempt.error)
    if attempt.failed:
        return None
    if SURVEY_KEY in session:  # answered: not again from this screen, which forgets its language next
        session[SURVEY_KEY] = ANSWERED_HERE
    return redirect(url_for("survey.thanks"), code=303)


def _browser() -> str:
    """Return the name of the browser an answer comes from; "" on a terminal the office registered.

    The name only flags a browser that sends many answers in a day (`Doubt.ONE_DEVICE`): it is
    never a person, and a browser that keeps no cookie has none. The office's own screens, a
    library terminal an administrator registered (`g.terminal_device`) or a tablet at an
    address of PUSTAKA_KIOSK_ADDRESSES (a survey tablet at the exit), are rated on by many
    visitors: nothing is flagged for them.
    """
    if _on_terminal() or from_office_tablet():
        return ""
    value = request.cookies.get(BROWSER_COOKIE, "")
    return value if _BROWSER_VALUE.fullmatch(value) else ""


def _named_browser(response: Response) -> Response:
    """Give a browser that has no name yet a random one (`_browser`), off the office's terminals."""
    if not _on_terminal() and not _browser():
        response.set_cookie(
            BROWSER_COOKIE,
            secrets.token_urlsafe(18),
            max_age=BROWSER_COOKIE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


def _page(form: SurveyForm, view: SurveyView) -> tuple[str, int]:
    """Render the survey (400 when the form shows what to correct)."""
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "survey/answer.html",
        form=form,
        view=view,
        elements=ELEMENTS,
        comment_max=COMMENT_MAX,
        on_terminal=_on_terminal(),
    ), status


@bp.get("/survei/terima-kasih")
def thanks() -> str:
    """Thank the person for their answer (on a library terminal: then back to its start)."""
    return render_template("survey/thanks.html", on_terminal=_on_terminal())


def _on_terminal() -> bool:
    """Tell whether the survey is answered on a library terminal, as its visitor leaves it."""
    return bool(g.get("terminal_device"))


def _closed(error: PustakaError) -> tuple[str, int]:
    """Say why the link opens no survey: answered already, expired, or not a link we made."""
    answered = isinstance(error, SurveyAnswered)
    status = 200 if answered else 410 if isinstance(error, SurveyExpired) else 404
    message = error_message(error)
    page = render_template(
        "survey/closed.html", message=message, answered=answered, days=SURVEY_DAYS, on_terminal=_on_terminal()
    )
    return page, status

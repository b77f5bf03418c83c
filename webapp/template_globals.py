"""The functions every page calls, made cheap: translation, URL building and the form token.

A search page calls `_()` about 45 times and `url_for` about 40: through Flask-Babel and Flask,
each call looks the request up again (the locale, the domain, the URL adapter), about a fifth
of the page's CPU time together. Here:
- `_()`, `ngettext()` (and the `p` forms) fetch the request's translations once and keep them
  beside Flask-Babel's own locale (`force_locale` changes that locale, so they follow it);
  `_()` of a message without values is answered from the translations' kept results, in one
  call (Jinja's own `_` calls `gettext`, which calls the translation, each through the context,
  then %-formats the result: 8.6 us a message in a rendered template, 3.9 us kept);
- `url_for` keeps the URLs it built for an absolute endpoint with plain values (a string or a
  number), by the request's script root: a route's URL depends on nothing else here (no
  URL defaults, no external URLs). Anything else goes to Flask's `url_for` as before.
- `csrf_token()` signs a session's token once per process, not once per page: the tokens never
  expire here (`WTF_CSRF_TIME_LIMIT` is None, so the signature's time stamp is never read), and
  signing (a key derivation and two HMACs) took 42 us a page, where a kept token takes 7.5.
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from typing import Any

from flask import Flask, current_app, g, has_app_context, session, url_for
from flask.globals import _cv_request
from flask_babel import get_translations
from flask_wtf.csrf import generate_csrf
from itsdangerous import URLSafeTimedSerializer
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from library import models
from library.frontoffice.queue.clocks import Level as WaitLevel

URLS_KEPT = 20_000  # about 2 MB; emptied when full (the common ones come back at once)
MESSAGES_KEPT = 5_000  # translated messages per locale: a template's are a few hundred
TOKENS_KEPT = 4_096  # signed CSRF tokens, one per session seen lately: about 0.5 MB
CSRF_FIELD = "csrf_token"  # Flask-WTF's default field and session key (not configured here)


def _translations():  # noqa: ANN202 (a babel Translations or NullTranslations)
    if not has_app_context():
        return get_translations()
    babel = g.get("_flask_babel")
    kept = getattr(babel, "pustaka_translations", None)
    if kept is not None and kept[0] is getattr(babel, "babel_locale", None):
        return kept[1]
    translations = get_translations()  # sets the request's locale
    babel = g.get("_flask_babel")
    if babel is not None and getattr(babel, "babel_locale", None) is not None:
        babel.pustaka_translations = (babel.babel_locale, translations)
    return translations


@pass_eval_context
def kept_gettext(eval_ctx: EvalContext, message: str, **variables: Any) -> str:
    """Return the message translated, as Jinja's new-style `_()` does, kept when it has no values.

    As Jinja's: Markup where the template escapes (so the values put in are escaped), and the
    message always %-formatted ("%%" is "%" even without values). The translations are asked
    for at each call, never kept with the rendering: an imported macro module keeps its
    evaluation context for good, across requests and locales.
    """
    translations = _translations()
    if variables:
        text = translations.ugettext(message)
        return (Markup(text) if eval_ctx.autoescape else text) % variables
    kept: dict[tuple[str, bool], str] | None = getattr(translations, "pustaka_kept", None)
    if kept is None:
        kept = translations.pustaka_kept = {}
    key = (message, eval_ctx.autoescape)
    found = kept.get(key)
    if found is None:
        text = translations.ugettext(message)
        found = (Markup(text) if eval_ctx.autoescape else text) % {}
        if len(kept) < MESSAGES_KEPT:
            kept[key] = found
    return found


def install_gettext(app: Flask) -> None:
    """Give the templates gettext functions that look the request's translations up once."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["_"] = kept_gettext  # `{% trans %}` blocks still call `gettext`


def install_url_for(app: Flask) -> None:
    """Give the templates a `url_for` that remembers the URLs it built."""
    built: dict[tuple, str] = {}

    def kept_url_for(endpoint: str, **values: Any) -> str:
        context = _cv_request.get(None)
        if context is None or endpoint[:1] == ".":
            return url_for(endpoint, **values)  # outside a request, or relative to the blueprint
        if values:
            items = tuple(values.items()) if len(values) == 1 else tuple(sorted(values.items()))
            for _, value in items:
                if type(value) is not str and type(value) is not int:
                    return url_for(endpoint, **values)  # a list, a flag (_external) ...
            key: tuple = (context.request.root_path, endpoint, items)
        else:
            key = (context.request.root_path, endpoint)
        url = built.get(key)
        if url is None:
            url = url_for(endpoint, **values)
            if len(built) >= URLS_KEPT:
                built.clear()
            built[key] = url
        return url

    app.jinja_env.globals["url_for"] = kept_url_for


def kept_csrf_token() -> str:
    """Return the session's signed CSRF token, as Flask-WTF's `generate_csrf` does, signed once.

    Any token signed for the session's raw token passes Flask-WTF's check while tokens have no
    time limit; with a limit (or no raw token yet in the session) Flask-WTF signs it anew.
    """
    config = current_app.config
    raw = session.get(CSRF_FIELD)
    if config.get("WTF_CSRF_TIME_LIMIT") is not None or not isinstance(raw, str) or CSRF_FIELD in g:
        return str(generate_csrf())
    token = _signed(config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, raw)
    setattr(g, CSRF_FIELD, token)  # the request's forms (FlaskForm) use the same one
    return token


@lru_cache(maxsize=TOKENS_KEPT)
def _signed(secret_key: str | bytes, raw: str) -> str:
    return URLSafeTimedSerializer(secret_key, salt="wtf-csrf-token").dumps(raw)


def install_csrf_token(app: Flask) -> None:
    """Give the templates a `csrf_token()` that signs a session's token once per process.

    Flask-WTF puts its own in the globals and, through a context processor, in every page's
    context; that processor is replaced by the global alone (one dict fewer a rendering).
    """
    app.jinja_env.globals["csrf_token"] = kept_csrf_token
    processors = app.template_context_processors[None]
    processors[:] = [p for p in processors if getattr(p, "__module__", "") != "flask_wtf.csrf"]


# The enums templates compare with (`req.status == RequestStatus.READY`), never a string.
TEMPLATE_ENUMS: tuple[type[Enum], ...] = (
    models.AccessLevel,
    models.AppointmentKind,
    models.CollectionKind,
    models.ComplaintStatus,
    models.ConsultationChannel,
    models.ConsultationStatus,
    models.FileOrigin,
    models.IdentityCheck,
    models.IngestStatus,
    models.ItemStatus,
    models.LinkState,
    models.MessageDelivery,
    models.RequestStatus,
    models.ScanChannel,
    models.ScanStatus,
    models.ServiceKind,
    models.StocktakeStatus,
    models.SubjectOrigin,
    models.TicketStatus,
    models.office.WalkInClock,
    WaitLevel,
)


def template_enum_names() -> dict[str, type[Enum]]:
    """Return the enums by the names templates know them by."""
    return {"WaitLevel" if e is WaitLevel else e.__name__: e for e in TEMPLATE_ENUMS}


def init_app(app: Flask) -> None:
    """Install these over Flask-Babel's and Flask-WTF's own; add the enums templates compare with."""
    install_gettext(app)
    install_url_for(app)
    install_csrf_token(app)
    app.jinja_env.globals.update(template_enum_names())

"""The two functions every page calls dozens of times, made cheap: translation and URL building.

A search page calls `_()` about 45 times and `url_for` about 40: through Flask-Babel and Flask,
each call looks the request up again (the locale, the domain, the URL adapter), about a fifth
of the page's CPU time together. Here:
- `_()`, `ngettext()` (and the `p` forms) fetch the request's translations once and keep them
  beside Flask-Babel's own locale (`force_locale` changes that locale, so they follow it);
- `url_for` keeps the URLs it built for an absolute endpoint with plain values (a string or a
  number), by the request's script root: a route's URL depends on nothing else here (no
  URL defaults, no external URLs). Anything else goes to Flask's `url_for` as before.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from flask import Flask, g, has_app_context, has_request_context, request, url_for
from flask_babel import get_translations

from library import models
from library.frontoffice import Level as WaitLevel

URLS_KEPT = 20_000  # about 2 MB; emptied when full (the common ones come back at once)


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


def install_gettext(app: Flask) -> None:
    """Give the templates gettext functions that look the request's translations up once."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )


def install_url_for(app: Flask) -> None:
    """Give the templates a `url_for` that remembers the URLs it built."""
    built: dict[tuple, str] = {}

    def kept_url_for(endpoint: str, **values: Any) -> str:
        plain = all(type(v) in (str, int) for v in values.values())
        if endpoint[:1] == "." or not plain or not has_request_context():
            return url_for(endpoint, **values)  # relative to the blueprint, lists, _external, ...
        key = (request.script_root, endpoint, *sorted(values.items()))
        url = built.get(key)
        if url is None:
            url = url_for(endpoint, **values)
            if len(built) >= URLS_KEPT:
                built.clear()
            built[key] = url
        return url

    app.jinja_env.globals["url_for"] = kept_url_for


# The enums templates compare with (`req.status == RequestStatus.READY`), never a string.
TEMPLATE_ENUMS: tuple[type[Enum], ...] = (
    models.AccessLevel,
    models.AppointmentKind,
    models.ComplaintStatus,
    models.ConsultationStatus,
    models.FileOrigin,
    models.IdentityCheck,
    models.LinkState,
    models.RequestStatus,
    models.ScanChannel,
    models.ScanStatus,
    models.ServiceKind,
    models.TicketStatus,
    models.office.WalkInClock,
    WaitLevel,
)


def template_enum_names() -> dict[str, type[Enum]]:
    """Return the enums by the names templates know them by."""
    return {"WaitLevel" if e is WaitLevel else e.__name__: e for e in TEMPLATE_ENUMS}


def init_app(app: Flask) -> None:
    """Install both, after Flask-Babel has installed its own, and the enums templates compare with."""
    install_gettext(app)
    install_url_for(app)
    app.jinja_env.globals.update(template_enum_names())

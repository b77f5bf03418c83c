"""Languages: Indonesian first, English second, chosen in the header and kept in a cookie."""

from __future__ import annotations

import datetime as dt
import enum
import io
import os
import re
import secrets
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, Flask, current_app, g, redirect, request
from flask_babel import Babel, format_date, get_locale, gettext, refresh
from markupsafe import Markup
from werkzeug.wrappers import Response

from library.errors import PustakaError
from library.models.labels import label
from webapp import dates
from webapp.links import safe_next

if TYPE_CHECKING:
    from babel.support import NullTranslations

LOCALES = ("id", "en")
COOKIE = "lang"
SOURCE_DIR = Path(str(files("webapp") / "translations"))

bp = Blueprint("i18n", __name__)
babel = Babel()


def select_locale() -> str:
    """Pick the page language: the visitor's choice, else the deployment default.

    A page of one walk-in visit speaks the language the guest book was signed in (`speak`): on
    the kiosk's own screen whatever the cookie says, on the visitor's phone unless they chose one
    there; a visit of unknown language follows the phone's Accept-Language.
    """
    held = g.get("visit_language")
    if held is not None and held[1]:
        return str(held[0])
    chosen = request.cookies.get(COOKIE)
    if chosen in LOCALES:
        return chosen
    if held is not None:
        if held[0] in LOCALES:
            return str(held[0])
        best = request.accept_languages.best_match(LOCALES)
        if best:
            return str(best)
    return current_app.config["PUSTAKA_DEFAULT_LOCALE"]


def speak(language: str, *, on_kiosk: bool) -> None:
    """Make this request's page speak a visit's language (see `select_locale`)."""
    g.visit_language = (language if language in LOCALES else "", on_kiosk and language in LOCALES)
    refresh()


@bp.get("/bahasa/<code>")
def switch(code: str) -> Response:
    """Remember the chosen language and go back to the page the visitor was on."""
    response = redirect(safe_next(request.args.get("next"), "/"))
    if code in LOCALES:
        response.set_cookie(
            COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response


def compile_catalogues(out_dir: Path, source_dir: Path = SOURCE_DIR) -> Path:
    """Compile every .po catalogue newer than its .mo into out_dir; return out_dir."""
    for po in source_dir.glob("*/LC_MESSAGES/*.po"):
        mo = out_dir / po.relative_to(source_dir).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo.with_name(f".{mo.name}.{os.getpid()}.{secrets.token_hex(4)}")
        tmp.write_bytes(_compiled(po))
        os.replace(tmp, mo)  # several processes may start at once
    return out_dir


_COMPILED: dict[Path, tuple[tuple[int, int], bytes]] = {}


def _compiled(po: Path) -> bytes:
    """Return a .po catalogue compiled, once per process for each version of the file."""
    info = po.stat()
    version = (info.st_mtime_ns, info.st_size)
    kept = _COMPILED.get(po)
    if kept is None or kept[0] != version:
        with open(po, "rb") as handle:
            catalog = read_po(handle, locale=po.parts[-3])
        out = io.BytesIO()
        write_mo(out, catalog, use_fuzzy=False)
        kept = _COMPILED[po] = (version, out.getvalue())
    return kept[1]


def error_message(error: PustakaError) -> str:
    """Translate a domain error's message and fill in its values."""
    text = gettext(error.message)  # gettext would %-format with kwargs; do it once, here
    return text % error.params if error.params else text


def dated_error_message(error: PustakaError) -> str:
    """Translate a domain error's message, writing any date in it the visitor's way."""
    params = {
        name: format_date(value, "long") if isinstance(value, dt.date) else value
        for name, value in error.params.items()
    }
    return error_message(PustakaError(error.message, **params))


def enum_label(value: enum.Enum) -> str:
    """Name a value of a domain enum (an access level, a status, a role) in the visitor's language."""
    return gettext(label(value))


def indonesian_catalogue(compiled_dir: Path) -> NullTranslations:
    """Return the Indonesian catalogue, for text outside any page (files, the CLI)."""
    from babel.support import Translations

    return Translations.load(str(compile_catalogues(compiled_dir)), ["id"])


def bilingual(error: PustakaError, compiled_dir: Path) -> str:
    """Return a domain error in Indonesian, then English, for text outside any page."""
    catalogue = indonesian_catalogue(compiled_dir)
    params = Lenient(error.params)
    indonesian = catalogue.gettext(error.message) % params
    english = error.message % params
    return indonesian if indonesian == english else f"{indonesian}\n\n{english}"


class Lenient(dict):
    """Values for %-formatting that never fail on a missing key."""

    def __missing__(self, key: str) -> str:
        return ""


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def lang_attribute(language: str) -> Markup:
    """Return ` lang="xx"` for a text in another language than the page's (a publication's title).

    `language` is a publication's codes, main first ("en", "id,en"); nothing when it is the page's.
    """
    first = (language or "").split(",")[0].strip().lower()
    if not LANGUAGE_CODE.fullmatch(first) or first == str(get_locale() or "id"):
        return Markup("")
    return Markup(' lang="%s"') % first


def office_timezone() -> str:
    """Show times in the time zone of the office this deployment serves."""
    return current_app.extensions["pustaka"].timezone()


def init_app(app: Flask, compiled_dir: Path) -> None:
    """Set up Flask-Babel with catalogues compiled into the instance folder."""
    compile_catalogues(compiled_dir)
    app.add_template_filter(error_message, "domain_error")
    app.add_template_filter(enum_label, "label")
    app.add_template_filter(lang_attribute, "lang_attr")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled_dir)
    app.config["BABEL_DEFAULT_LOCALE"] = "id"
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Jakarta"
    babel.init_app(app, locale_selector=select_locale, timezone_selector=office_timezone)
    dates.init_app(app)  # after Babel: its date filters are replaced by the page's own
    app.register_blueprint(bp)

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"current_locale": str(get_locale() or "id"), "locales": LOCALES}

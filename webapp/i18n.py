"""Languages: Indonesian first, English second; the choice (`webapp.language`) is kept in a cookie."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from pathlib import Path

from flask import Flask, current_app, g, request
from flask_babel import Babel, format_date, format_decimal, get_locale, gettext, ngettext, refresh
from markupsafe import Markup

from library.errors import PustakaError, Sentence
from library.models.labels import label
from runtime.message_catalogue import compile_catalogues
from webapp import dates
from webapp.current_runtime import current_runtime

LOCALES = ("id", "en")
COOKIE = "lang"

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


def error_message(error: Sentence) -> str:
    """Translate a domain error's message and fill in its values.

    A value that is itself a sentence (`library.errors.Sentence`: the watermark engine's error a
    refusal gives as its reason), or one kept as JSON by `library.errors.stored_params`, is
    translated too.
    """
    text = gettext(error.message)  # gettext would %-format with kwargs; do it once, here
    if not error.params:
        return text
    return text % {name: _said(value) for name, value in error.params.items()}


def _said(value: object) -> object:
    """Return a value of a message as it is written in: a sentence translated, anything else as it is."""
    if isinstance(value, Sentence):
        return error_message(value)
    if isinstance(value, Mapping) and value.keys() == {"message", "params"}:  # a sentence kept as JSON
        return error_message(PustakaError(str(value["message"]), **dict(value["params"])))
    return value


def kept_error_message(message: str, params: Mapping[str, object]) -> str:
    """Translate an error kept in the database (its message id and values, `library.errors.stored_params`).

    A reason kept before its words changed, whose values no longer fit them, is shown as it was kept.
    """
    try:
        return error_message(PustakaError(message, **params))
    except (KeyError, ValueError, TypeError):
        return message


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


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def lang_attribute(language: str) -> Markup:
    """Return ` lang="xx"` for a text in another language than the page's (a publication's title).

    `language` is a publication's codes, main first ("en", "id,en"); nothing when it is the page's.
    """
    first = (language or "").split(",")[0].strip().lower()
    if not LANGUAGE_CODE.fullmatch(first) or first == str(get_locale() or "id"):
        return Markup("")
    return Markup(' lang="%s"') % first


# The name stored for an upload of several page images: "3 halaman", or "P-007 (3 halaman)" for a
# visitor's scan from the scanner's folder (webapp.forms.saved_uploads, the scan folder).
PAGES_NAME = re.compile(r"(?:(?P<code>.+) \()?(?P<count>\d+) halaman(?(code)\))")


def upload_name(name: str) -> str:
    """Return a stored upload's name in the visitor's language: "3 halaman" reads "3 pages" in English."""
    found = PAGES_NAME.fullmatch(name)
    if found is None:
        return name
    pages = ngettext("%(num)s page", "%(num)s pages", int(found["count"]))
    return f"{found['code']} ({pages})" if found["code"] else pages


# A decree's number as BPS writes it: "010 Tahun 2024" (number 10 of the year 2024).
DECREE_NUMBER = re.compile(r"(?P<number>.+?)\s+Tahun\s+(?P<year>\d{4})")


def decree_number(number: str) -> str:
    """Return a decree's number in the visitor's language: "010 Tahun 2024" reads "010 of 2024" in English."""
    found = DECREE_NUMBER.fullmatch(number.strip())
    if found is None:
        return number
    return gettext("%(number)s of %(year)s", number=found["number"], year=found["year"])


def minutes_text(value: float | None) -> str:
    """Return a length in minutes in the visitor's language ("6,5 menit", "6.5 min"); "–" for none."""
    if value is None:
        return "–"
    return gettext("%(minutes)s min", minutes=format_decimal(value, "#,##0.0"))


def office_timezone() -> str:
    """Show times in the time zone of the office this deployment serves."""
    return current_runtime().timezone()


def init_app(app: Flask, compiled_dir: Path) -> None:
    """Set up Flask-Babel with catalogues compiled into the instance folder."""
    compile_catalogues(compiled_dir)
    app.add_template_filter(error_message, "domain_error")
    app.add_template_filter(enum_label, "label")
    app.add_template_filter(lang_attribute, "lang_attr")
    app.add_template_filter(upload_name, "upload_name")
    app.add_template_filter(decree_number, "decree_number")
    app.add_template_filter(minutes_text, "minutes")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled_dir)
    app.config["BABEL_DEFAULT_LOCALE"] = "id"
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Jakarta"
    babel.init_app(app, locale_selector=select_locale, timezone_selector=office_timezone)
    dates.init_app(app)  # after Babel: its date filters are replaced by the page's own

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"current_locale": str(get_locale() or "id"), "locales": LOCALES}

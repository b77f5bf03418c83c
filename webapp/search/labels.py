"""The words shown for facet values: names for the codes the index keeps."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import get_locale, gettext

from library.i18n import N_
from library.models import AccessLevel
from webapp.i18n import enum_label

LANGUAGE_NAMES = {"id": N_("Indonesian"), "en": N_("English")}
ACCESS_LEVELS = {level.value: level for level in AccessLevel}


def language_name(codes: str) -> str:
    """Name the languages of a code list such as "id,en" in the visitor's language."""
    parts = [code.strip() for code in codes.split(",") if code.strip()]
    return ", ".join(gettext(LANGUAGE_NAMES[code]) if code in LANGUAGE_NAMES else code for code in parts)


def facet_label(name: str, value: str, office_names: Mapping[str, Mapping[str, str]]) -> str:
    """Return what a person reads for one facet value (the value itself when it needs no name)."""
    if name == "access_level" and value in ACCESS_LEVELS:
        return enum_label(ACCESS_LEVELS[value])
    if name == "language":
        return language_name(value)
    if name == "office" and value in office_names:
        names = office_names[value]
        return names.get(str(get_locale() or "id"), names["id"])
    return value

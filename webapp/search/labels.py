"""The words shown for facet values: names for the codes the index keeps."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from flask_babel import get_locale, gettext

from library.i18n import N_
from library.models import AccessLevel
from library.models.labels import label

LANGUAGE_NAMES = {"id": N_("Indonesian"), "en": N_("English")}
FACET_NAMES = {
    "year": N_("Year"),
    "subject": N_("Subject"),
    "office": N_("Issuing office"),
    "publication_type": N_("Publication type"),
    "language": N_("Language"),
    "access_level": N_("Access"),
}
ACCESS_LEVELS = {level.value: level for level in AccessLevel}
# The catalogue keeps BPS's subjects and publication types in Indonesian, as BPS names them
# (catalog_data.records); these are their English names, for pages in English.
CATALOGUE_TERMS = {
    "Statistik Umum": N_("General statistics"),
    "Kependudukan": N_("Population"),
    "Ketenagakerjaan": N_("Employment"),
    "Tenaga Kerja": N_("Employment"),  # the controlled subject "Ketenagakerjaan" is merged into
    "Kemiskinan": N_("Poverty"),
    "Pendidikan": N_("Education"),
    "Kesehatan": N_("Health"),
    "Pertanian": N_("Agriculture"),
    "Industri": N_("Industry"),
    "Harga": N_("Prices"),
    "Neraca Ekonomi": N_("Economic accounts"),
    "Sosial Budaya": N_("Social and culture"),
    "Pariwisata": N_("Tourism"),
    "Transportasi": N_("Transportation"),
    "Keuangan": N_("Finance"),
    "Publikasi": N_("Publication"),
    "Berita Resmi Statistik": N_("Official statistics news"),
    "Buku Saku": N_("Pocket book"),
    "Laporan": N_("Report"),
    "Statistik Daerah": N_("Regional statistics"),
}
TERM_FACETS = ("subject", "publication_type")


class Labels:
    """Facet and access names in one page's language, each translated once per process."""

    def __init__(self, office_names: Mapping[str, Mapping[str, str]]) -> None:
        self.locale = str(get_locale() or "id")
        self._office_names = office_names

    @property
    def facet_names(self) -> dict[str, str]:
        """Name each facet ("year" -> "Tahun")."""
        return {name: _translated(self.locale, message) for name, message in FACET_NAMES.items()}

    def access(self, value: str) -> str:
        """Name an access level ("open" -> "Terbuka")."""
        level = ACCESS_LEVELS.get(value)
        return _translated(self.locale, label(level)) if level else value

    def language(self, codes: str) -> str:
        """Name the languages of a code list such as "id,en"."""
        return language_name(codes, self.locale)

    def facet(self, name: str, value: str) -> str:
        """Return what a person reads for one facet value (the value itself when it needs no name)."""
        if name == "access_level":
            return self.access(value)
        if name == "language":
            return self.language(value)
        if name == "office" and value in self._office_names:
            names = self._office_names[value]
            return names.get(self.locale, names["id"])
        if name in TERM_FACETS:
            return catalogue_term(value, self.locale)
        return value


def catalogue_term(value: str, locale: str | None = None) -> str:
    """Name a subject or publication type kept in Indonesian ("Kemiskinan") in the visitor's language."""
    locale = locale or str(get_locale() or "id")
    if locale == "id" or value not in CATALOGUE_TERMS:
        return value  # as the catalogue keeps it: Indonesian, or a term of the office's own
    return _translated(locale, CATALOGUE_TERMS[value])


def language_name(codes: str, locale: str | None = None) -> str:
    """Name the languages of a code list such as "id,en" in the visitor's language."""
    locale = locale or str(get_locale() or "id")
    parts = [code.strip() for code in codes.split(",") if code.strip()]
    return ", ".join(_translated(locale, LANGUAGE_NAMES[c]) if c in LANGUAGE_NAMES else c for c in parts)


@lru_cache(maxsize=256)
def _translated(locale: str, message: str) -> str:
    """Return a message in a locale; the catalogues are compiled once, at start-up."""
    # Flask-Babel looks up the request's translations on every call, which a results
    # page with a name for each facet value and each hit's access would do dozens of times.
    return gettext(message)

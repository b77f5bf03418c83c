"""The forms of the collections screens: a collection's details, and publications chosen for it."""

from __future__ import annotations

import re

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from library.browse.managing import CollectionDetails
from library.models import CollectionKind

NUMBER = re.compile(r"[0-9]{1,9}")


class CollectionForm(FlaskForm):
    """A collection: its kind, address, names in both languages, description, and office (if an office's)."""

    kind = SelectField(_l("Kind"), choices=[], validate_choice=False)
    slug = StringField(
        _l("Address (letters a-z, digits, hyphens)"), render_kw={"maxlength": 80, "pattern": "[a-z0-9-]+"}
    )
    name_id = StringField(_l("Name in Indonesian"), render_kw={"maxlength": 200})
    name_en = StringField(_l("Name in English (optional)"), render_kw={"maxlength": 200, "lang": "en"})
    description = TextAreaField(_l("Description"), render_kw={"maxlength": 5000, "rows": 4})
    office = SelectField(_l("Office (an office collection)"), choices=[], validate_choice=False)

    def offer(self, offices: list[tuple[str, str]]) -> CollectionForm:
        """Fill the lists of kinds and offices; return the form."""
        self.kind.choices = [
            SelectChoice(CollectionKind.SERIES.value, _("Series")),
            SelectChoice(CollectionKind.OFFICE.value, _("Office collection")),
            SelectChoice(CollectionKind.OTHER.value, _("Other collection")),
        ]
        self.office.choices = [
            SelectChoice("", _("No office")),
            *(SelectChoice(c, f"{n} ({c})") for c, n in offices),
        ]
        return self

    def to_input(self) -> CollectionDetails:
        """Return what the librarian typed, for the use case to check."""
        return CollectionDetails(
            kind=self.kind.data or "",
            slug=self.slug.data or "",
            name_id=self.name_id.data or "",
            name_en=self.name_en.data or "",
            description=self.description.data or "",
            office_code=self.office.data or "",
        )


class ChosenPublicationsForm(FlaskForm):
    """Publications chosen by their boxes, or typed by their numbers ("12, 15 31")."""

    numbers = StringField(_l("Publication numbers"), render_kw={"maxlength": 500, "inputmode": "numeric"})

    def publication_ids(self) -> list[int]:
        """Return the ids chosen and typed (anything not a number is left out; the use case refuses none)."""
        chosen = [v for v in request.form.getlist("publication") if NUMBER.fullmatch(v)]
        typed = NUMBER.findall(self.numbers.data or "")
        return sorted({int(v) for v in chosen + typed})

"""The form of an office's own subject on the librarians' subject page."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField

from library.subjects.merging import GroupRow


class SubjectForm(FlaskForm):
    """An office's own subject: its group and its names in both languages."""

    group = SelectField(_l("Group"), choices=[], validate_choice=False)
    name_id = StringField(_l("Name in Indonesian"), render_kw={"maxlength": 120})
    name_en = StringField(_l("Name in English"), render_kw={"maxlength": 120, "lang": "en"})

    def offer_groups(self, groups: list[GroupRow]) -> None:
        """Fill the group list (and 'no group')."""
        self.group.choices = [
            SelectChoice("", _("No group")),
            *(SelectChoice(str(g.id), g.name_id) for g in groups),
        ]

    def group_id(self) -> int | None:
        """Return the chosen group's id (None for none or a bad value)."""
        raw = self.group.data or ""
        return int(raw) if raw.isdigit() and len(raw) < 10 else None

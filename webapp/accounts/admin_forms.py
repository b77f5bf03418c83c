"""The administrator's forms: the staff roles given to a person."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from library.models import STAFF_ROLES
from webapp.i18n import enum_label


def staff_role_choices() -> list[SelectChoice]:
    """Return the staff roles in the visitor's language."""
    return [SelectChoice(r.value, enum_label(r)) for r in STAFF_ROLES]


class RolesForm(FlaskForm):
    """The staff roles an administrator gives a person."""

    roles = SelectMultipleField(
        _("Staff roles"),
        choices=staff_role_choices,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

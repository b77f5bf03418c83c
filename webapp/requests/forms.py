"""The softcopy request form and the librarian's decision forms."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from library.models import RequestScope
from library.models.labels import label
from library.softcopy.purposes import PURPOSES
from library.softcopy.requests import MAX_TEXT, MIN_USE


def purpose_choices() -> list[SelectChoice]:
    """Return the purpose categories in the visitor's language, after a prompt."""
    return [SelectChoice("", gettext("Choose one"))] + [
        SelectChoice(p.code, gettext(p.label)) for p in PURPOSES
    ]


class SoftcopyRequestForm(FlaskForm):
    """What a person asks for, why, and their agreement to the terms."""

    scope = RadioField(
        _("What do you need?"),
        choices=[SelectChoice(scope.value, _(label(scope))) for scope in RequestScope],
        default="whole",
        validators=[DataRequired(_("Choose the whole publication or some pages."))],
    )
    pages = StringField(_("Pages"), validators=[Optional(), Length(max=200)])
    tables = TextAreaField(
        _("Tables or figures you need (optional)"),
        validators=[
            Optional(),
            Length(max=MAX_TEXT, message=_("At most %(n)s characters, please.", n=MAX_TEXT)),
        ],
    )
    purpose = SelectField(_("Purpose"), validators=[DataRequired(_("Choose the purpose of your request."))])
    intended_use = TextAreaField(
        _("How will you use the data?"),
        validators=[
            DataRequired(_("Tell us how you will use the data.")),
            Length(
                min=MIN_USE,
                max=MAX_TEXT,
                message=_("Write between %(min)s and %(max)s characters.", min=MIN_USE, max=MAX_TEXT),
            ),
        ],
    )
    agreed = BooleanField(
        _(
            "I agree to the terms of use: the copy is for my own use, carries my name, "
            "and may not be reproduced for commercial purposes without written permission from BPS."
        ),
        validators=[DataRequired(_("Agree to the terms of use to send the request."))],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.purpose.choices = purpose_choices()

"""The softcopy request form and the librarian's decision forms."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField

from library.models import RequestScope
from library.models.labels import label
from library.softcopy.purposes import PURPOSES
from library.softcopy.request_checks import SoftcopyRequestDetails


def purpose_choices() -> list[SelectChoice]:
    """Return the purpose categories in the visitor's language, after a prompt."""
    return [SelectChoice("", gettext("Choose one"))] + [
        SelectChoice(p.code, gettext(p.label)) for p in PURPOSES
    ]


class SoftcopyRequestForm(FlaskForm):
    """What a person asks for, why, and their agreement to the terms.

    No field validators: the use case checks every field at once (`check_submit_request`),
    so the page never shows problems in two rounds.
    """

    scope = RadioField(
        _("What do you need?"),
        choices=[SelectChoice(scope.value, _(label(scope))) for scope in RequestScope],
        default="whole",
        validate_choice=False,
    )
    pages = StringField(_("Pages"))
    tables = TextAreaField(_("Tables or figures you need (optional)"))
    purpose = SelectField(_("Purpose"), validate_choice=False)
    intended_use = TextAreaField(_("How will you use the data?"))
    agreed = BooleanField(
        _(
            "I agree to the terms of use: the copy is for my own use, carries my name, "
            "and may not be reproduced for commercial purposes without written permission from BPS."
        )
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.purpose.choices = purpose_choices()

    def to_input(self, publication_id: int, visit_id: int | None) -> SoftcopyRequestDetails:
        """Return what was typed as the use case's input (with the visit, at a library terminal)."""
        return SoftcopyRequestDetails(
            publication_id=publication_id,
            scope=self.scope.data or "",
            pages=self.pages.data or "",
            tables=self.tables.data or "",
            purpose=self.purpose.data or "",
            intended_use=self.intended_use.data or "",
            agreed=bool(self.agreed.data),
            visit_id=visit_id,
        )

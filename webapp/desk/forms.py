"""The librarian's decision forms on softcopy requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from library.softcopy.decisions import MIN_REASON
from library.softcopy.requests import MAX_TEXT


class ApproveForm(FlaskForm):
    """A librarian approves a request, with an optional note."""

    note = TextAreaField(_("Note (optional)"), validators=[Optional(), Length(max=MAX_TEXT)])


class RefuseForm(FlaskForm):
    """A librarian refuses a request; the reason goes to the requester."""

    reason = TextAreaField(
        _("Reason for the refusal"),
        validators=[
            DataRequired(_("Write the reason for the refusal; the requester reads it.")),
            Length(
                min=MIN_REASON,
                max=MAX_TEXT,
                message=_("Write between %(min)s and %(max)s characters.", min=MIN_REASON, max=MAX_TEXT),
            ),
        ],
    )

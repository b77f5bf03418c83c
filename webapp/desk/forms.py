"""The librarian's forms: decisions on softcopy requests, printed holdings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from library.catalogue.holdings import MAX_CALL_NUMBER, MAX_LOCATION, MAX_NOTE, HoldingDetails
from library.softcopy.decisions import MIN_REASON
from library.softcopy.page_ranges import MAX_WRITTEN
from library.softcopy.request_checks import MAX_TEXT


class ApproveForm(FlaskForm):
    """A librarian approves a request, all of it or some pages, with a note (the reason, if only some)."""

    pages = StringField(
        _("Pages approved (optional)"),
        validators=[Optional(), Length(max=MAX_WRITTEN)],
        render_kw={"autocomplete": "off", "inputmode": "text"},
    )
    note = TextAreaField(
        _("Note to the requester (optional; required when only some pages are approved)"),
        validators=[Optional(), Length(max=MAX_TEXT)],
    )


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


class HoldingForm(FlaskForm):
    """Printed copies in one place; the use case checks every field and names the one at fault."""

    call_number = StringField(
        _("Shelf mark"), render_kw={"maxlength": MAX_CALL_NUMBER, "autocomplete": "off"}
    )
    location = StringField(_("Location"), render_kw={"maxlength": MAX_LOCATION})
    copies = StringField(
        _("Number of copies"), default="1", render_kw={"inputmode": "numeric", "class": "short", "size": 4}
    )
    reading_room_only = BooleanField(_("Read in the PST reading room only, not lent"), default=True)
    note = StringField(_("Note (optional)"), render_kw={"maxlength": MAX_NOTE})

    def to_input(self) -> HoldingDetails:
        """Return what the librarian typed, for the use case to check."""
        return HoldingDetails(
            call_number=self.call_number.data or "",
            location=self.location.data or "",
            copies=self.copies.data or "",
            reading_room_only=bool(self.reading_room_only.data),
            note=self.note.data or "",
        )

"""The booking form: a service's slot, and who is coming."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, TelField

from library.frontoffice.appointments import BookingEntry


class BookingForm(FlaskForm):
    """Book a slot: the day and time (grouped by day), a name, and how to reach the visitor."""

    service = HiddenField()
    # The slots are the office's, filled in by the view; the use case refuses one that is not.
    slot = SelectField(_("Day and time"), choices=[], validate_choice=False)
    name = StringField(_("Full name"))
    email = EmailField(_("Email address (optional)"))
    phone = TelField(_("Phone number (optional)"))
    website = StringField(_("Leave this field empty"))  # a program fills it in; people do not see it

    def to_entry(self, language: str) -> BookingEntry:
        """Return the answers as the use case takes them."""
        return BookingEntry(
            service=self.service.data or "",
            slot=self.slot.data or "",
            name=self.name.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            language=language,
        )


class CancelForm(FlaskForm):
    """The button that cancels a booking (its CSRF token only)."""

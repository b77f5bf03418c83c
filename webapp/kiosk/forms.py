"""The guest book form: what the kiosk asks, as fields to render; the use case checks the answers.

The fields carry no checks of their own (besides CSRF): `check_sign_guest_book` checks every
answer and names each field it refuses, and the view puts each message on its field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask_babel import get_locale, gettext

# Named `_` so the message extractor finds these texts; lazy because the fields are built once,
# at import, and shown in each visitor's language.
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)

from library.frontoffice.categories import AGE_BANDS, EDUCATIONS, OCCUPATIONS, SEXES, Category
from library.frontoffice.guest_book import GuestBookEntry


def _translated(categories: Sequence[Category]) -> Callable[[], list[tuple[str, str]]]:
    """Return the categories as choices in the visitor's language, made when the form is shown."""
    return lambda: [(c.code, gettext(c.label)) for c in categories]


def _choice(label: str, categories: Sequence[Category]) -> RadioField:
    # validate_choice off: the use case refuses an unknown answer with its own message.
    return RadioField(label, choices=_translated(categories), validate_choice=False)


class GuestBookForm(FlaskForm):
    """The guest book at the front office."""

    name = StringField(_("Full name"))
    sex = _choice(_("Sex"), SEXES)
    age_band = _choice(_("Age"), AGE_BANDS)
    education = _choice(_("Highest education"), EDUCATIONS)
    occupation = _choice(_("Occupation"), OCCUPATIONS)
    institution = StringField(_("Institution"))
    phone = TelField(_("Phone number (optional)"))
    email = EmailField(_("Email address (optional)"))
    purpose = TextAreaField(_("Purpose of your visit"))
    # The office's services, drawn by the template from its data (with their ticket letters).
    services = SelectMultipleField(_("Services you want today"), choices=[], validate_choice=False)
    website = StringField(_("Leave this field empty"))
    started = HiddenField()
    # Shown only once the same name signed just now (`RepeatedName` names this field): the visitor
    # confirms a second entry.
    # The office's priority groups, drawn by the template from its data; "" for none.
    priority = RadioField(_("Priority service"), choices=[], validate_choice=False)
    same_name = BooleanField(_("I am another visitor with the same name: give me a queue number"))
    # Offered only where the office takes appointments (PUSTAKA_APPOINTMENT_SERVICES).
    appointment_code = StringField(_("Appointment code (if you booked a time)"))
    # Offered only where the office tells phones (PUSTAKA_PHONE_CHANNEL).
    phone_consent = BooleanField(
        _("Tell me on this number (WhatsApp or SMS) when I am called, and send me the survey link")
    )

    def to_input(self) -> GuestBookEntry:
        """Return the answers as the use case takes them."""
        return GuestBookEntry(
            name=self.name.data or "",
            sex=self.sex.data or "",
            age_band=self.age_band.data or "",
            occupation=self.occupation.data or "",
            education=self.education.data or "",
            institution=self.institution.data or "",
            phone=self.phone.data or "",
            email=self.email.data or "",
            purpose=self.purpose.data or "",
            services=tuple(self.services.data or ()),
            form_started=self.started.data or "",
            honeypot=self.website.data or "",
            language=str(get_locale() or ""),
            same_name_confirmed=bool(self.same_name.data),
            phone_consent=bool(self.phone_consent.data),
            appointment_code=self.appointment_code.data or "",
            priority=self.priority.data or "",
        )

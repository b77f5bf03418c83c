"""The complaint form (public and staff entry) and the staff's forms: classify, answer."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField

from library.models import ComplaintService, ComplaintSource
from library.models.labels import label
from library.quality.complaints.records import MAX_ATTACHMENT_BYTES, ComplaintDetails, Upload
from library.quality.elements import ELEMENTS

MAX_TYPED = 5000  # longer values are cut before they reach a use case (which refuses them anyway)


def _cut(value: str | None) -> str:
    """Trim what was typed to a length no use case needs more of."""
    return (value or "")[:MAX_TYPED]


def service_choices() -> list[tuple[str, str]]:
    """Return the services a complaint may be about, with their words (translated when shown)."""
    return [("", _("Choose a service"))] + [(s.value, _(label(s))) for s in ComplaintService]


def element_choices() -> list[tuple[str, str]]:
    """Return the nine SKM elements to classify a complaint by, and "not classified"."""
    return [("", _("Not classified yet"))] + [(e.code, f"{e.code} · {_(e.name)}") for e in ELEMENTS]


STAFF_SOURCES = (ComplaintSource.BOX, ComplaintSource.EMAIL, ComplaintSource.WHATSAPP)


class ComplaintForm(FlaskForm):
    """What a person complains about; the use case checks every field at once."""

    name = StringField(_("Your name"), filters=[_cut])
    email = StringField(_("Email address"), filters=[_cut])
    phone = StringField(_("Phone or WhatsApp number (optional)"), filters=[_cut])
    service = SelectField(_("Service"), choices=[], validate_choice=False)
    subject = StringField(_("What is it about?"), filters=[_cut])
    body = TextAreaField(_("Your complaint"), filters=[_cut])
    attachments = MultipleFileField(_("Attachments (optional)"))
    website = StringField(_("Leave this field empty"), filters=[_cut])  # the honeypot

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.service.choices = service_choices()

    def to_input(self, source: str = ComplaintSource.WEB.value) -> ComplaintDetails:
        """Return the answers as the use case takes them."""
        return ComplaintDetails(
            name=self.name.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            service=self.service.data or "",
            subject=self.subject.data or "",
            body=self.body.data or "",
            source=source,
            honeypot=self.website.data or "",
        )

    def sent_files(self) -> list[Upload]:
        """Return the files sent as the complaint's attachments, as the use case takes them."""
        return uploads(request.files.getlist(self.attachments.name))


class StaffComplaintForm(ComplaintForm):
    """A complaint staff enter from the box, an email or WhatsApp: the person's email is optional."""

    source = SelectField(_("Received through"), choices=[], validate_choice=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.source.choices = [(s.value, _(label(s))) for s in STAFF_SOURCES]
        self.name.label.text = _("Name of the person")
        self.email.label.text = _("Their email address (optional: they are emailed at each step)")
        self.body.label.text = _("The complaint, as received")


class ClassifyForm(FlaskForm):
    """The SKM element and the service of a complaint."""

    element = SelectField(_("SKM element"), choices=[], validate_choice=False)
    service = SelectField(_("Service"), choices=[], validate_choice=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.element.choices = element_choices()
        self.service.choices = service_choices()


class AnswerForm(FlaskForm):
    """The office's answer to a complaint (the use case checks it)."""

    answer = TextAreaField(_("The answer"), filters=[_cut])


def uploads(files: list[FileStorage]) -> list[Upload]:
    """Return the files sent, each read only one byte past the largest allowed (the rest is refused)."""
    return [
        Upload(name=f.filename or "", data=f.stream.read(MAX_ATTACHMENT_BYTES + 1))
        for f in files
        if f and f.filename
    ]

"""The online consultation form, the message form and the consultants' forms."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectChoice, SelectField, StringField, TextAreaField

from library.consultation.appointments import AppointmentDetails
from library.consultation.attachments import MAX_BYTES, Attachments, Upload
from library.consultation.consultations import ConsultationQuestion
from library.consultation.recorded import RecordedConsultation
from library.filestore import FileStore


class OnlineConsultationForm(FlaskForm):
    """What a person asks online and the data they need (the counter records walk-ins on its own form).

    No field validators: the use case checks every field at once (`check_open_consultation`),
    so the page never shows problems in two rounds.
    """

    topic = StringField(_("Topic"))
    question = TextAreaField(_("Your question"))
    data_subject = StringField(_("Subject of the data"))
    data_region = StringField(_("Region"))
    data_period = StringField(_("Period"))
    attachments = MultipleFileField(_("Attachments (optional)"))
    notify_phone = StringField(
        _("Tell me on WhatsApp or SMS when it is answered: mobile number"), render_kw={"inputmode": "tel"}
    )

    def to_input(self) -> ConsultationQuestion:
        """Return what the person asks, as the use case takes it."""
        return ConsultationQuestion(
            topic=self.topic.data or "",
            question=self.question.data or "",
            data_subject=self.data_subject.data or "",
            data_region=self.data_region.data or "",
            data_period=self.data_period.data or "",
            notify_phone=self.notify_phone.data or "",
        )


class RecordForm(FlaskForm):
    """A consultation received by telephone or social media, as the consultant records it."""

    channel = SelectField(
        _("Received by"),
        choices=[SelectChoice("phone", _("Telephone")), SelectChoice("social", _("Social media"))],
        validate_choice=False,
    )
    name = StringField(_("Name of the person who asked"))
    contact = StringField(_("Where to reach them: telephone number, social-media account or email"))
    topic = StringField(_("Topic"))
    question = TextAreaField(_("The question, as they asked it"))
    data_subject = StringField(_("Subject of the data (optional)"))
    data_region = StringField(_("Region (optional)"))
    data_period = StringField(_("Period (optional)"))

    def to_input(self) -> RecordedConsultation:
        """Return what the consultant recorded, as the use case takes it."""
        return RecordedConsultation(
            **{name: str(self[name].data or "") for name in vars(RecordedConsultation())}
        )


class MessageForm(FlaskForm):
    """One message in a consultation's thread (the use case checks it)."""

    body = TextAreaField(_("Your message"))
    attachments = MultipleFileField(_("Attachments (optional)"))


class AssignForm(FlaskForm):
    """The consultant to assign a consultation to: only shows the choice (the view reads the number sent)."""

    consultant = SelectField(_("Consultant"), coerce=int, validate_choice=False)


class AppointmentForm(FlaskForm):
    """A follow-up appointment the consultant proposes (the use case checks every field at once)."""

    kind = SelectField(
        _("Kind"),
        choices=[SelectChoice("in_person", _("In person")), SelectChoice("video", _("Video meeting"))],
        validate_choice=False,
    )
    day = StringField(_("Day"), render_kw={"type": "date"})
    time = StringField(_("Time (office time)"), render_kw={"type": "time"})
    minutes = StringField(_("Length in minutes"), default="60", render_kw={"inputmode": "numeric"})
    place = StringField(_("Place, or the video meeting's link"))
    note = TextAreaField(_("Note for the user (optional)"))

    def to_input(self) -> AppointmentDetails:
        """Return what the form sent as the use case's input."""
        return AppointmentDetails(**{name: str(self[name].data or "") for name in vars(AppointmentDetails())})


def sent_files() -> list[Upload]:
    """Return the files the form sent as attachments, each read to one byte past the limit."""
    uploads = []
    for storage in request.files.getlist("attachments"):
        uploads.append(Upload(storage.filename or "", storage.stream.read(MAX_BYTES + 1)))
        storage.close()  # a large file is spooled to a temporary file: let it go now
    return uploads


def sent_attachments(store: FileStore) -> Attachments:
    """Return the files the form sent as attachments, for the use case to check and keep in the store."""
    return Attachments(store, sent_files())

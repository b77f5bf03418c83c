"""The console's forms: the counter a staff member works at, a late start's reason, a transfer, a record."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from library.frontoffice.queue.actions import MAX_COUNTER, MAX_REASON
from library.frontoffice.queue.consultation_records import ConsultationNote
from library.models import Referral


class CounterForm(FlaskForm):
    """The counter this staff member calls visitors to."""

    counter = StringField(
        _("Your counter"),
        validators=[
            DataRequired(_("Name the counter you work at, e.g. Loket 1.")),
            Length(
                max=MAX_COUNTER, message=_("Name the counter in at most %(max)s characters.", max=MAX_COUNTER)
            ),
        ],
    )


class StartForm(FlaskForm):
    """Start a visitor's service; past the target, with the reason for the delay."""

    breach_reason = TextAreaField(
        _("Reason for the delay"),
        validators=[
            Optional(),
            Length(
                max=MAX_REASON, message=_("Write the reason in at most %(max)s characters.", max=MAX_REASON)
            ),
        ],
    )


class TransferForm(FlaskForm):
    """Send a visitor to another service's queue."""

    to_service = StringField(_("Transfer to"), validators=[DataRequired(_("Choose the service."))])


class PriorityForm(FlaskForm):
    """Mark a ticket as priority (one of the office's groups) or regular (empty)."""

    priority = StringField(_("Priority"))


class ConsultationRecordForm(FlaskForm):
    """What the consultant records of a walk-in consultation (the use case checks every field at once)."""

    topic = StringField(_("Topic"))
    given = TextAreaField(_("What was given"))
    referral = StringField(_("Referred to"), default=Referral.NONE.value)  # a select on the page

    def to_input(self) -> ConsultationNote:
        """Return what the consultant wrote, as the use case takes it."""
        return ConsultationNote(self.topic.data or "", self.given.data or "", self.referral.data or "")

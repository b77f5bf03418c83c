"""The locker forms: a locker given against an ID card, lockers added and renamed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from library.frontoffice.lockers.staff import LockerHandout
from library.models import IdCardKind
from webapp.i18n import enum_label

MAX_TYPED = 200  # longer values are cut before they reach a use case (they are refused there anyway)


def card_kind_choices() -> list[SelectChoice]:
    """Return the kinds of ID card in the visitor's language."""
    return [SelectChoice(kind.value, enum_label(kind)) for kind in IdCardKind]


def _cut(value: str | None) -> str:
    """Trim what was typed to a length no use case needs more of."""
    return (value or "")[:MAX_TYPED]


def _number(value: object) -> int:
    """Read an id a form sent; anything that is not one becomes 0, which no row has."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) <= 10 else 0


class GiveLockerForm(FlaskForm):
    """A locker given to a visitor of today, found in the list or by ticket, against an ID card."""

    visit = SelectField(_("Visitor"), choices=[], validate_choice=False)
    ticket = StringField(_("or the ticket's code"), filters=[_cut])
    locker = SelectField(_("Locker"), choices=[], validate_choice=False)
    card_kind = SelectField(_("ID card"), choices=card_kind_choices, validate_choice=False)
    card_last4 = StringField(_("Last four digits or letters of the card"), filters=[_cut])

    def to_input(self) -> LockerHandout:
        """Return the answers as the use case takes them (the visitor by ticket, else the one picked)."""
        return LockerHandout(
            ticket=self.ticket.data or "",
            visit_id=_number(self.visit.data),
            locker_id=_number(self.locker.data),
            card_kind=self.card_kind.data or "",
            card_last4=self.card_last4.data or "",
        )


class AddLockersForm(FlaskForm):
    """Lockers added to the office: one label, or a range such as A-01..A-20."""

    labels = StringField(_("Lockers to add"), filters=[_cut])


class RenameLockerForm(FlaskForm):
    """A locker's new label."""

    label = StringField(_("New label"), filters=[_cut])


class DayCloseForm(FlaskForm):
    """Why the visits and counters left open are closed at the end of the day."""

    reason = TextAreaField(
        _("Why are these closed?"),
        default=lambda: str(_("The office closed; the visitor left without checking out.")),
        filters=[_cut],
    )

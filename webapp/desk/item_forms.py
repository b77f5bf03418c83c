"""The forms of printed items: a status with a note, labels to print, a barcode scanned, a stock-taking."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, Regexp

from library.collection.items import MAX_ITEM_NOTE
from library.models import ItemStatus
from library.models.labels import ITEM_STATUSES

NO_JS_FORM = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false", "enterkeyhint": "go"}


class BarcodeForm(FlaskForm):
    """One barcode, scanned (a USB scanner types it and presses Enter) or typed."""

    barcode = StringField(_("Barcode"), render_kw={**NO_JS_FORM, "maxlength": 40, "autofocus": True})


class ItemStatusForm(FlaskForm):
    """A librarian sets where a copy is, with a note for its history."""

    status = SelectField(
        _("Status"), choices=[SelectChoice(s.value, _(ITEM_STATUSES[s])) for s in ItemStatus]
    )
    note = TextAreaField(_("Note (optional)"), render_kw={"maxlength": MAX_ITEM_NOTE, "rows": 2})


class LabelForm(FlaskForm):
    """Which copies to label, which kind of label, and how many labels of the sheet are used already."""

    kind = RadioField(
        _("Labels"),
        choices=[
            SelectChoice("barcode", _("Barcode labels")),
            SelectChoice("spine", _("Spine labels (call number)")),
        ],
        default="barcode",
    )
    barcodes = TextAreaField(
        _("Barcodes, one a line or separated by spaces"), render_kw={"rows": 4, **NO_JS_FORM}
    )
    since = DateField(_("Or every copy added since"), validators=[Optional()])
    skip = StringField(
        _("Labels already used on the first sheet"),
        default="0",
        validators=[Regexp(r"^\s*\d{1,3}\s*$", message=_("Write a number, 0 for a new sheet."))],
        render_kw={"inputmode": "numeric", "class": "short"},
    )


class StocktakeForm(FlaskForm):
    """Which place to check: one location, or the whole collection (the first choice)."""

    location = SelectField(_("Location"), choices=[], validate_choice=False)

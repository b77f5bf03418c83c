"""The librarian's forms for a publication: its fields, withdrawing it, restoring it.

The fields carry no validators of their own: the use case checks every field at once and
names each one at fault. The hidden `version` is the publication's version the page showed.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField

from library.catalogue.editing import MAX_REASON, EditablePublication, EditConflict
from library.catalogue.metadata_rules import LIMITS, MetadataRefused, PublicationFields
from library.errors import PustakaError
from library.models import AccessLevel
from library.models.labels import ACCESS_LEVELS
from webapp.forms import show_error
from webapp.i18n import error_message


def _text(label: str, name: str, **extra: object) -> StringField:
    """Return a one-line text field as long as its column."""
    return StringField(label, render_kw={"maxlength": LIMITS[name], **extra})


def _date(label: str) -> StringField:
    """Return a date field (a date picker where the browser has one; YYYY-MM-DD where not)."""
    return StringField(label, render_kw={"type": "date", "class": "short-date"})


class VersionedForm(FlaskForm):
    """A form that says which version of the publication the page showed."""

    version = HiddenField()

    def version_number(self) -> int:
        """Return the version the page showed (0, which never matches, when it is missing or bad)."""
        raw = (self.version.data or "").strip()
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0

    def show_refusal(self, refusal: PustakaError) -> int:
        """Show why the use case refused the form; return the page's status (409: saved meanwhile)."""
        if isinstance(refusal, EditConflict):
            self.form_errors.append(error_message(refusal))
            return 409
        show_error(self, refusal)
        return 400


class PublicationForm(VersionedForm):
    """Every field of a publication a librarian edits."""

    title = _text(_("Title"), "title")
    alternative_title = _text(_("Alternative title (optional)"), "alternative_title", lang="en")
    abstract = TextAreaField(_("Abstract (optional)"), render_kw={"rows": 6, "maxlength": LIMITS["abstract"]})
    subject = _text(_("Subject (optional)"), "subject", list="subject-terms", autocomplete="off")
    publication_type = _text(_("Publication type (optional)"), "publication_type")
    language = _text(_("Language"), "language", autocomplete="off", **{"class": "short"})
    reference_period = _text(_("Reference period (optional)"), "reference_period")
    scheduled_release = _date(_("Scheduled release (optional)"))
    actual_release = _date(_("Released (optional)"))
    office = SelectField(_("Issuing office"), choices=[], validate_choice=False)
    katalog_bps = _text(_("BPS catalogue number (optional)"), "katalog_bps", inputmode="decimal")
    nomor_publikasi = _text(_("Publication number (optional)"), "nomor_publikasi", inputmode="decimal")
    issn = _text(_("ISSN (optional)"), "issn", autocomplete="off")
    isbn = _text(_("ISBN (optional)"), "isbn", autocomplete="off")
    doi = _text(_("DOI (optional)"), "doi", autocomplete="off", spellcheck="false")
    access_level = SelectField(
        _("Access"),
        choices=[SelectChoice(level.value, _(ACCESS_LEVELS[level])) for level in AccessLevel],
        validate_choice=False,
    )
    embargo_until = _date(_("Embargo until"))

    def offer_offices(self, publication: EditablePublication) -> None:
        """Fill the office list from the publication's page."""
        self.office.choices = [SelectChoice(code, f"{name} ({code})") for code, name in publication.offices]

    def fill(self, values: PublicationFields, version: int) -> None:
        """Show these values and this version in the form."""
        for name, value in values.as_dict().items():
            self[name].data = value
        self.version.data = str(version)

    def show_refusal(self, refusal: PustakaError) -> int:
        """Show a conflict over the librarian's changes laid on what is stored now, or each field refused."""
        if isinstance(refusal, EditConflict):
            self.fill(refusal.merged, refusal.current)
        elif isinstance(refusal, MetadataRefused):
            for error in refusal.errors:
                show_error(self, error)
            return 400
        return super().show_refusal(refusal)

    def to_input(self) -> PublicationFields:
        """Return what the librarian typed, for the use case to check."""
        return PublicationFields(**{name: self[name].data or "" for name in PublicationFields().as_dict()})


class WithdrawForm(VersionedForm):
    """A librarian withdraws a publication from the public, saying why."""

    reason = StringField(_("Reason for withdrawal"), render_kw={"maxlength": MAX_REASON})


class RestoreForm(VersionedForm):
    """A librarian brings a withdrawn publication back: the version alone."""

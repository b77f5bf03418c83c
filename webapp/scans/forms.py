"""The scan form: whose scan (today's visit or a ticket), what it is, from which publication, the file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectField, StringField

from library.frontoffice.scans.uploads import ScanUpload

MAX_TYPED = 600  # longer values are cut before they reach a use case (which refuses them anyway)


def _cut(value: str | None) -> str:
    """Trim what was typed to a length no use case needs more of."""
    return (value or "")[:MAX_TYPED]


def _number(value: object) -> int | None:
    """Read an id a form sent; anything that is not one is None."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) <= 9 else None


class ScanForm(FlaskForm):
    """A scan for a visitor; the use case checks every field and names the one at fault."""

    visit = SelectField(_("Visitor"), choices=[], validate_choice=False)
    ticket = StringField(_("or the ticket's code"), filters=[_cut])
    title = StringField(_("What was scanned"), filters=[_cut], render_kw={"maxlength": 500})
    publication = StringField(_("Publication in the catalogue (optional)"), filters=[_cut])
    berkas = MultipleFileField(_("Scanned file"))

    def to_input(self, publication_id: int | None) -> ScanUpload:
        """Return the scan the form describes, as the use case takes it (its publication read already)."""
        return ScanUpload(
            visit_id=_number(self.visit.data),
            ticket=self.ticket.data or "",
            title=self.title.data or "",
            publication_id=publication_id,
        )

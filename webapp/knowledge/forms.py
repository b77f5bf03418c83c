"""The knowledge-base entry form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField


class EntryForm(FlaskForm):
    """A question, its topic and the answer (the use case checks every field at once)."""

    title = StringField(_("Question"))
    topic = StringField(_("Topic"))
    answer = TextAreaField(_("Answer"), render_kw={"rows": 12})
    # The closed consultation the entry grows from, if any (the use case checks it).
    consultation = HiddenField()

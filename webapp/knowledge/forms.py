"""The knowledge-base entry form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from library.knowledge.entries import KnowledgeEntryDetails
from library.knowledge.read_models import EntryView


class EntryForm(FlaskForm):
    """A question, its topic and the answer (the use case checks every field at once)."""

    title = StringField(_("Question"))
    topic = StringField(_("Topic"))
    answer = TextAreaField(_("Answer"), render_kw={"rows": 12})
    # The closed consultation the entry grows from, if any (the use case checks it).
    consultation = HiddenField()

    @classmethod
    def of(cls, entry: EntryView) -> EntryForm:
        """Return the form filled in with the entry as saved (nothing typed yet)."""
        return cls(formdata=None, title=entry.summary.title, topic=entry.summary.topic, answer=entry.answer)

    def to_input(self) -> KnowledgeEntryDetails:
        """Return what the form sent as the use case's input."""
        return KnowledgeEntryDetails(
            title=self.title.data or "", topic=self.topic.data or "", answer=self.answer.data or ""
        )

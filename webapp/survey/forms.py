"""The SKM survey's form: the nine questions of `library.quality.elements`, and a comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField

from library.quality.elements import ELEMENTS


class SurveyForm(FlaskForm):
    """The nine questions, one radio group each (its field named by the element's code), and a comment."""

    comment = TextAreaField(_l("Comments or suggestions (optional)"))


for _element in ELEMENTS:
    setattr(
        SurveyForm,
        _element.code,
        RadioField(
            _l(_element.question),
            choices=[SelectChoice(str(n), _l(text)) for n, text in enumerate(_element.answers, start=1)],
            validate_choice=False,  # the use case checks every answer at once
        ),
    )

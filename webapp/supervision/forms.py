"""The supervisor's form: closing a counter left open, with the reason its officer reads."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField


class CloseCounterForm(FlaskForm):
    """Close a counter from the supervisor's view: the reason its officer reads."""

    reason = TextAreaField()

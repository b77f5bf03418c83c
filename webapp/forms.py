"""What the views of every blueprint share about forms: a button form, errors in place."""

from __future__ import annotations

from flask_wtf import FlaskForm

from library.errors import InvalidField, PustakaError
from webapp.i18n import error_message


class ActionForm(FlaskForm):
    """A form that is only a button (sign out, send the link again): the CSRF token alone."""


def show_error(form: FlaskForm, error: PustakaError) -> None:
    """Put a domain error on the field it names, or on the form as a whole."""
    field = getattr(error, "field", None)
    if isinstance(error, InvalidField) and field in form._fields:
        form[field].errors = [*form[field].errors, error_message(error)]
    else:
        form.form_errors.append(error_message(error))

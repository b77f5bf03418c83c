"""The account forms: what each page asks for, with the checks that answer 400 in the view.

The use cases check the same things again (and more); these checks give field-by-field
messages at once, and CSRF protection comes with every FlaskForm.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext

# Named `_` so the message extractor (which knows `_`, not `lazy_gettext`) finds these texts;
# lazy because labels are built once, at import, and shown in each visitor's language.
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from library.accounts.occupations import OCCUPATIONS
from library.accounts.registration import Registration
from library.accounts.users import (
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    clean_email,
    clean_occupation,
)
from library.errors import InvalidField
from webapp.i18n import error_message


class DomainRule:
    """Run a library check on the field, so the form shows the use case's message at once."""

    def __init__(self, check: Callable[[str], object]) -> None:
        self.check = check

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not field.data:
            return  # DataRequired speaks for empty fields
        try:
            self.check(field.data)
        except InvalidField as exc:
            raise ValidationError(error_message(exc)) from None


def occupation_choices() -> list[SelectChoice]:
    """Return the occupation categories in the visitor's language, after a prompt."""
    return [SelectChoice("", gettext("Choose one"))] + [
        SelectChoice(o.code, gettext(o.label)) for o in OCCUPATIONS
    ]


def _at_most(n: int) -> Length:
    return Length(max=n, message=_("At most %(n)s characters, please.", n=n))


def _name() -> StringField:
    return StringField(
        _("Full name"),
        validators=[DataRequired(_("Enter your full name.")), _at_most(MAX_NAME_LENGTH)],
    )


def _email(label: str = "", message: str = "") -> EmailField:
    return EmailField(
        label or _("Email address"),
        validators=[
            DataRequired(message or _("Enter your email address.")),
            _at_most(MAX_EMAIL_LENGTH),
            DomainRule(clean_email),
        ],
    )


def _new_password(label: str = "") -> PasswordField:
    return PasswordField(
        label or _("Password"),
        validators=[
            InputRequired(_("Choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            ),
            Length(
                max=MAX_PASSWORD_LENGTH,
                message=_("A password can have at most %(n)s characters.", n=MAX_PASSWORD_LENGTH),
            ),
        ],
    )


def _confirm(other: str) -> PasswordField:
    return PasswordField(
        _("Type the password again"),
        validators=[
            InputRequired(_("Type the password again.")),
            EqualTo(other, _("The two passwords are not the same.")),
        ],
    )


def _institution() -> StringField:
    return StringField(
        _("Institution"),
        validators=[DataRequired(_("Enter your institution.")), _at_most(MAX_NAME_LENGTH)],
    )


def _occupation() -> SelectField:
    return SelectField(
        _("Occupation"),
        choices=occupation_choices,
        validate_choice=False,  # DomainRule checks it against library.accounts.occupations
        validators=[DataRequired(_("Choose your occupation.")), DomainRule(clean_occupation)],
    )


class RegisterForm(FlaskForm):
    """Registration of an online reader."""

    name = _name()
    email = _email()
    password = _new_password()
    confirm_password = _confirm("password")
    institution = _institution()
    occupation = _occupation()
    consent = BooleanField(
        _(
            "I agree to the terms of use, and to my details being kept "
            "to serve my requests and for the office's service statistics."
        ),
        validators=[DataRequired(_("You need to agree to the terms to register."))],
    )

    def to_input(self) -> Registration:
        """Return what the person filled in, as the registration use case takes it."""
        return Registration(
            name=self.name.data or "",
            email=self.email.data or "",
            password=self.password.data or "",
            institution=self.institution.data or "",
            occupation=self.occupation.data or "",
            consent=bool(self.consent.data),
        )


class LoginForm(FlaskForm):
    """Signing in."""

    email = _email()
    password = PasswordField(_("Password"), validators=[InputRequired(_("Enter your password."))])
    remember = BooleanField(_("Keep me signed in on this device"))


class ForgotPasswordForm(FlaskForm):
    """Asking for a password-reset link."""

    email = _email()


class ResetPasswordForm(FlaskForm):
    """Choosing a new password through a reset link."""

    password = _new_password(_("New password"))
    confirm_password = _confirm("password")


class ProfileForm(FlaskForm):
    """The person's own details."""

    name = _name()
    institution = _institution()
    occupation = _occupation()


class ChangePasswordForm(FlaskForm):
    """A new password, given the current one."""

    current_password = PasswordField(
        _("Current password"), validators=[InputRequired(_("Enter your current password."))]
    )
    new_password = _new_password(_("New password"))
    confirm_password = _confirm("new_password")


class ChangeEmailForm(FlaskForm):
    """A new email address, given the current password."""

    new_email = _email(_("New email address"), _("Enter the new email address."))
    current_password = PasswordField(
        _("Current password"), validators=[InputRequired(_("Enter your current password."))]
    )

"""The terminal's forms: the visitor's ticket, their proof of identity, and a terminal's name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from library.frontoffice.identity import CODE_DIGITS
from library.frontoffice.terminal.devices import MAX_NAME
from library.frontoffice.terminal.ticket_entry import MAX_ENTRY


class TicketForm(FlaskForm):
    """The queue ticket a visitor types or scans to start reading (checked by the use case)."""

    ticket = StringField(_("QR code or terminal code of your ticket"), render_kw={"maxlength": MAX_ENTRY})


class CodeForm(FlaskForm):
    """The one-time code the visitor got by email (checked by the use case)."""

    code = StringField(_("Code from the email"), render_kw={"maxlength": CODE_DIGITS + 4})


class AccountPasswordForm(FlaskForm):
    """The password of the account with the visit's email (checked by the use case)."""

    password = PasswordField(_("Password of your account"), render_kw={"maxlength": 1024})


class TerminalForm(FlaskForm):
    """The name of a terminal being registered (checked by the use case)."""

    name = StringField(_("Name of this terminal"), render_kw={"maxlength": MAX_NAME})

"""The terminal's forms: the visitor's ticket, and the name an admin gives a terminal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField

from library.frontoffice.terminals import MAX_NAME
from library.frontoffice.ticket_entry import MAX_ENTRY


class TicketForm(FlaskForm):
    """The queue ticket a visitor types or scans to start reading (checked by the use case)."""

    ticket = StringField(_("Your queue number"), render_kw={"maxlength": MAX_ENTRY})


class TerminalForm(FlaskForm):
    """The name of a terminal being registered (checked by the use case)."""

    name = StringField(_("Name of this terminal"), render_kw={"maxlength": MAX_NAME})

"""Who is reading at a library terminal during this request, for every blueprint to ask.

The terminal blueprint checks the terminal's cookie and the visitor's session before each
request and records the visitor here; the reader stamps pages for them with the terminal's
name, the request form ties requests to their visit, and downloads are refused on the
terminal (copies go to the visitor's own account and email).
"""

from __future__ import annotations

from flask import g, session

from library.frontoffice.terminal.sessions import Visitor

TERMINAL_COOKIE = "pustaka_terminal"  # the device's token, set once when an admin registers it
SESSION_KEY = "terminal_session_id"  # in the signed session cookie: the visitor's terminal session
SURVEY_KEY = "terminal_survey"  # the survey the visitor who just left may answer on this screen
ANSWERED_HERE = "answered"  # what SURVEY_KEY holds once that survey was answered on this screen


def current_terminal_visitor() -> Visitor | None:
    """Return the visitor reading at this terminal now, or None off a terminal session."""
    visitor = g.get("terminal_visitor")
    return visitor if isinstance(visitor, Visitor) else None


def set_terminal_visitor(visitor: Visitor | None) -> None:
    """Record who reads at the terminal for the rest of this request."""
    g.terminal_visitor = visitor


def survey_open_here(token: str) -> bool:
    """Tell whether this browser may show the survey: off a terminal, or to the visitor who just left it."""
    return not g.get("terminal_device") or session.get(SURVEY_KEY) == token

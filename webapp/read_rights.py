"""Whether the viewer of this request may read a publication: the reader, search and the catalogue ask.

The viewer is a visitor at a library terminal, a signed-in person, or nobody (an open
publication is read by anyone); the rules themselves are `library.catalogue.read_access`'s.
"""

from __future__ import annotations

from library.catalogue.read_access import read_refusal, terminal_read_refusal
from library.catalogue.read_models import PublicationSummary
from library.errors import NotAllowed
from webapp.auth import current_actor
from webapp.terminal_visitor import current_terminal_visitor


def anonymous_here() -> bool:
    """Tell whether nobody is signed in and no terminal visitor reads: only open publications are read."""
    return current_actor() is None and current_terminal_visitor() is None


def viewer_read_refusal(summary: PublicationSummary) -> NotAllowed | None:
    """Return why the viewer here (signed in, at a terminal, or nobody) may not read it, or None."""
    if current_terminal_visitor() is not None:
        return terminal_read_refusal(summary.access_level, summary.embargo_until)
    return read_refusal(current_actor(), summary.access_level, summary.embargo_until)

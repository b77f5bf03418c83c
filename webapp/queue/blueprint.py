"""The queue's blueprint, which the board and the consoles register their pages on."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext

from library.frontoffice.queue.clocks import Level
from library.frontoffice.queue.priority import group_label
from library.frontoffice.queue.read_models import level_words, status_words
from library.models import TicketStatus

bp = Blueprint("queue", __name__)


@bp.app_template_filter("queue_status")
def queue_status(status: TicketStatus | str) -> str:
    """Name a ticket's status in the page's language."""
    return gettext(status_words(status))


@bp.app_template_filter("queue_level")
def queue_level(value: Level | str) -> str:
    """Name how a wait stands against its target in the page's language."""
    return gettext(level_words(value))


@bp.app_template_filter("priority_group")
def priority_group(code: str) -> str:
    """Name a priority group in the page's language (staff pages and the visitor's own choice only)."""
    return gettext(group_label(code))

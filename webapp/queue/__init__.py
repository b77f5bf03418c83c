"""The queue in the web: the waiting-room board (/antrean) and a staff console per service (/loket/…)."""

from webapp.queue import board, console, consultation_records, ticket_actions, voice
from webapp.queue.blueprint import bp

__all__ = ["board", "bp", "console", "consultation_records", "ticket_actions", "voice"]

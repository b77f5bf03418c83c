"""The queue in the web: the waiting-room board (/antrean) and a staff console per service (/loket/…)."""

from webapp.counter import board, console, records
from webapp.counter.blueprint import bp

__all__ = ["board", "bp", "console", "records"]

"""Lockers and ID cards: the front office gives and takes back, the administrator keeps the list."""

from webapp.lockers import admin, console, day_close, identity
from webapp.lockers.blueprint import bp

__all__ = ["admin", "bp", "console", "day_close", "identity"]

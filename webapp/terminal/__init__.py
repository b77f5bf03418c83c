"""/terminal: a library terminal's kiosk screen, visitors' terminal sessions, and their registration.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.terminal import views
from webapp.terminal.blueprint import bp

__all__ = ["bp", "views"]

"""The guest book kiosk (`/buku-tamu`), the tickets it hands out, and the visitor's status page.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.kiosk import push, views
from webapp.kiosk.blueprint import bp, push_bp

__all__ = ["bp", "push", "push_bp", "views"]

"""The service right now (`/laporan/sekarang`), for the office head and administrators.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.operations import views
from webapp.operations.blueprint import bp

__all__ = ["bp", "views"]

"""Softcopy requests for online users: the form, "My requests", one request, the download.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.softcopy import views
from webapp.softcopy.blueprint import bp

__all__ = ["bp", "views"]

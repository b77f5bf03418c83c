"""The PST home page: the office's services and their published standards.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.home import views
from webapp.home.blueprint import bp

__all__ = ["bp", "views"]

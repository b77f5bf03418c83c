"""The catalogue: browse publications, open one, see its cover.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.catalogue import views
from webapp.catalogue.blueprint import bp

__all__ = ["bp", "views"]

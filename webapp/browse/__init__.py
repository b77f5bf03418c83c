"""Collections for readers: the list, a collection's publications, and the Atom feeds of what is new.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.browse import views
from webapp.browse.blueprint import bp

__all__ = ["bp", "views"]

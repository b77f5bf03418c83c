"""The search page: words, filters, facets, pages where the words are found; search inside one
publication.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.search import views
from webapp.search.blueprint import bp

__all__ = ["bp", "views"]

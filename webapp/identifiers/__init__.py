"""Persistent identifiers and citation files: /id/<prefix>/<number>, and .bib, .ris and DataCite XML.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.identifiers import views
from webapp.identifiers.blueprint import bp

__all__ = ["bp", "views"]

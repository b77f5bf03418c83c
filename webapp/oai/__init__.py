"""OAI-PMH 2.0 at /oai: library aggregators harvest the catalogue's metadata.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.oai import views
from webapp.oai.blueprint import bp

__all__ = ["bp", "views"]

"""The knowledge base: consultants write and publish answers (`/meja/pengetahuan`); everyone reads
them.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.knowledge import views
from webapp.knowledge.blueprint import bp

__all__ = ["bp", "views"]

"""The reader: a publication's pages as pictures stamped with the reader's name; never the PDF.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.reader import views
from webapp.reader.blueprint import bp

__all__ = ["bp", "views"]

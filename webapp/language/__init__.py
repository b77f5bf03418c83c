"""The language switch: a visitor's choice of Indonesian or English, remembered in a cookie.

Its route is in `views`, the blueprint it registers on in `blueprint`; choosing a page's
language from that choice is `webapp.i18n`'s.
"""

from webapp.language import views
from webapp.language.blueprint import bp

__all__ = ["bp", "views"]

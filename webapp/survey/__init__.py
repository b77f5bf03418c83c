"""/survei: the SKM satisfaction survey a one-use link opens, with no sign-in needed.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.survey import views
from webapp.survey.blueprint import bp

__all__ = ["bp", "views"]

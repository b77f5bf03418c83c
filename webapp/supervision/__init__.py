"""The supervisor's view (`/laporan/loket`): the counters and terminals now, each officer's day and
period.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.supervision import views
from webapp.supervision.blueprint import bp

__all__ = ["bp", "views"]

"""/admin/cadangan: the administrators' list of backups (time, size, files, verified, kept by); a
button.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.backups import views
from webapp.backups.blueprint import bp

__all__ = ["bp", "views"]

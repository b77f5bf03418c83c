"""/healthz: the process answers; /readyz: every part this instance needs is ready (`readiness`).

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.health import views
from webapp.health.blueprint import bp

__all__ = ["bp", "views"]

"""/verifikasi: anyone holding a copy can check that its QR code is an authentic delivery.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.verification import views
from webapp.verification.blueprint import bp

__all__ = ["bp", "views"]

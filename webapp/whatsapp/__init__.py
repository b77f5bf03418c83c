"""WhatsApp's webhook at /whatsapp/webhook: messages sent to the office's number become consultations.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.whatsapp import views
from webapp.whatsapp.blueprint import bp

__all__ = ["bp", "views"]

"""Online consultations: the user's pages (`online`) and the consultants' desk (`desk`)."""

from webapp.consultation import desk, online
from webapp.consultation.blueprint import bp

__all__ = ["bp", "desk", "online"]

"""Online consultations: the user's pages (`online`) and the consultants' side (`staff`)."""

from webapp.consultation import online, staff
from webapp.consultation.blueprint import bp

__all__ = ["bp", "online", "staff"]

"""Complaints: the public form and status page (`public`), the staff's desk (`desk`), filing (`filing`)."""

from webapp.complaints import desk, public
from webapp.complaints.blueprint import bp

__all__ = ["bp", "desk", "public"]

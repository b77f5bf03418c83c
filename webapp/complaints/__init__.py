"""Complaints: the public form and status page (`public`), the staff's side (`staff`), filing (`filing`)."""

from webapp.complaints import public, staff
from webapp.complaints.blueprint import bp

__all__ = ["bp", "public", "staff"]

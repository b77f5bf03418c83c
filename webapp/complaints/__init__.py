"""Complaints: the public form and status page (`public`) and the staff's desk (`desk`)."""

from webapp.complaints import desk, public
from webapp.complaints.blueprint import bp

__all__ = ["bp", "desk", "public"]

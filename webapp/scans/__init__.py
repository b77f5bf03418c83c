"""Scanning for a walk-in visitor: the librarian's pages (/meja/pindai) and the visitor's download."""

from webapp.scans import staff, visitor
from webapp.scans.blueprint import bp

__all__ = ["bp", "staff", "visitor"]

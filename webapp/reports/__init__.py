"""The service quality report (`/laporan`) for the office head and administrators: page, CSV, PDF.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.reports import review, views
from webapp.reports.blueprint import bp, review_bp

__all__ = ["bp", "review", "review_bp", "views"]

"""Appointments online (/janji-temu): choose a service's slot, get a code, a calendar file, cancel.

Its routes are in `views`, the blueprint they register on in `blueprint`.
"""

from webapp.appointments import views
from webapp.appointments.blueprint import bp

__all__ = ["bp", "views"]

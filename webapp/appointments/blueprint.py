"""The appointments blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("appointments", __name__, url_prefix="/janji-temu")

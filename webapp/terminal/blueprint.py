"""The terminal blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("terminal", __name__)

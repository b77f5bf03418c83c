"""The browse blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("browse", __name__)

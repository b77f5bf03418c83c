"""The catalogue blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("catalogue", __name__, url_prefix="/katalog")

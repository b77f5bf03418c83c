"""The reader blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("reader", __name__, url_prefix="/baca")

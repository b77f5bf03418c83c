"""The search blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/cari")

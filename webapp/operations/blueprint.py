"""The operations blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("operations", __name__, url_prefix="/laporan/sekarang")

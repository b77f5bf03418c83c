"""The supervision blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("supervision", __name__, url_prefix="/laporan/loket")

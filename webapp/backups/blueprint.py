"""The backups blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("backups", __name__, url_prefix="/admin/cadangan")

"""The accounts blueprints: a person's own account, and the administrators' pages under /admin."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
admin_bp = Blueprint("accounts_admin", __name__, url_prefix="/admin")

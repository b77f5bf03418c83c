"""The verification blueprint, which its route modules register on."""

from flask import Blueprint

from runtime import links

bp = Blueprint("verification", __name__, url_prefix=links.VERIFY_PREFIX)

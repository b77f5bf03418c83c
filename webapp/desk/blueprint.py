"""The librarian's desk blueprint, which the desk's view modules register their pages on."""

from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/meja")

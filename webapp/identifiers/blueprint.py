"""The identifiers blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("identifiers", __name__)

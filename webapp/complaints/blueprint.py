"""The complaints blueprint, which the public and the staff's view modules register on."""

from flask import Blueprint

bp = Blueprint("complaints", __name__)

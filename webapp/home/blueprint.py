"""The home blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("home", __name__)

"""The health blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("health", __name__)

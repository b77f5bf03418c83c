"""The knowledge blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("knowledge", __name__)

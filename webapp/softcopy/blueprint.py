"""The softcopy blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("softcopy", __name__)

"""The survey blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("survey", __name__)

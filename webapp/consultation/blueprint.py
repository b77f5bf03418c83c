"""The consultation blueprint, which the user's and the consultants' view modules register on."""

from flask import Blueprint

bp = Blueprint("consultation", __name__)

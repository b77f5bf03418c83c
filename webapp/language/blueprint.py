"""The language switch's blueprint."""

from flask import Blueprint

bp = Blueprint("language", __name__)

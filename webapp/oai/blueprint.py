"""The oai blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("oai", __name__)

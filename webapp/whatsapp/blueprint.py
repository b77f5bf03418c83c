"""The whatsapp blueprint, which its route modules register on."""

from flask import Blueprint

bp = Blueprint("whatsapp", __name__)

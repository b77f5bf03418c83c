"""The kiosk blueprints, which its route modules register on: the kiosk, and Web Push (`push`)."""

from flask import Blueprint

bp = Blueprint("kiosk", __name__)
push_bp = Blueprint("push", __name__)  # a phone's Web Push subscription, without the kiosk's guard

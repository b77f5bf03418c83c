"""The reports blueprints, which its route modules register on: reports, and the survey review (`review`)."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/laporan")
review_bp = Blueprint("survey_review", __name__, url_prefix="/laporan/survei")  # the survey answers' review

"""The PST home page: the office's services and their published standards."""

from __future__ import annotations

from flask import Blueprint, render_template

from library.catalogue import offices
from library.catalogue import read_models as catalogue
from webapp.current_runtime import runtime

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """Show the office's services with their standards and the newest publications."""
    app_state = runtime()
    with app_state.uow() as uow:
        profile = offices.get_office_profile(uow, app_state.settings.office)
        newest = catalogue.newest_publications(uow, today=app_state.today(), office_code=profile.code)
    return render_template("home/index.html", office=profile, newest=newest)

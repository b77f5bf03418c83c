"""The PST home page: the office's services and their published standards."""

from __future__ import annotations

from flask import render_template

from library.browse.feeds import newest_publications
from library.catalogue import offices
from webapp.current_runtime import current_runtime
from webapp.home.blueprint import bp


@bp.get("/")
def index() -> str:
    """Show the office's services with their standards and the newest publications."""
    rt = current_runtime()
    with rt.uow() as uow:
        profile = offices.get_office_profile(uow, rt.settings.office)
        newest = newest_publications(uow, today=rt.today())  # the library feed's first entries
    return render_template("home/index.html", office=profile, newest=newest)

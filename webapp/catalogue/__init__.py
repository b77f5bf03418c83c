"""The catalogue: browse publications, open one, see its cover."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, send_file
from werkzeug.wrappers import Response

from library.catalogue import offices
from library.catalogue import read_models as catalogue
from webapp.auth import current_actor
from webapp.current_runtime import runtime
from webapp.paging import page_number

bp = Blueprint("catalogue", __name__, url_prefix="/katalog")


@bp.get("/")
def index() -> str:
    """List publications, optionally of one office, a page at a time."""
    page = page_number()
    office = request.args.get("kantor", "", type=str).strip() or None
    app_state = runtime()
    with app_state.uow() as uow:
        listing = catalogue.list_publications(
            uow,
            today=app_state.today(),
            office_code=office,
            page=page,
            per_page=app_state.settings.per_page,
        )
        office_names = offices.list_office_names(uow)
    return render_template("catalogue/index.html", listing=listing, office=office, office_names=office_names)


@bp.get("/<int:publication_id>")
def detail(publication_id: int) -> str:
    """Show one publication's page."""
    app_state = runtime()
    with app_state.uow() as uow:
        publication = catalogue.get_publication(
            uow, publication_id, today=app_state.today(), viewer=current_actor()
        )
    return render_template("catalogue/detail.html", pub=publication)


@bp.get("/<int:publication_id>/sampul.png")
def cover(publication_id: int) -> Response:
    """Send a publication's cover thumbnail (public unless withdrawn: it carries no content to protect)."""
    app_state = runtime()
    with app_state.uow() as uow:
        sha256 = catalogue.thumbnail_of(uow, publication_id, current_actor())
    path = app_state.store.path_for(sha256)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/png", etag=sha256, max_age=86400, conditional=True)
    return response

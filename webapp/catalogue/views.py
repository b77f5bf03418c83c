"""The catalogue: browse publications, open one, see its cover."""

from __future__ import annotations

from flask import abort, render_template, request, send_file
from werkzeug.wrappers import Response

from library.browse.membership import collections_of
from library.catalogue import offices
from library.catalogue import read_models as catalogue
from library.file_versions.read_models import version_history
from library.identifiers.resolving import cite_section
from library.usage.counting import Kind
from library.usage.figures import Clock
from library.usage.read_models import publication_usage
from webapp.auth import current_actor
from webapp.catalogue.blueprint import bp
from webapp.current_runtime import current_runtime
from webapp.paging import page_number
from webapp.usage import record_usage


@bp.get("/")
def index() -> str:
    """List publications, optionally of one office, a page at a time."""
    page = page_number()
    office = request.args.get("kantor", "", type=str).strip() or None
    rt = current_runtime()
    with rt.uow() as uow:
        listing = catalogue.list_publications(
            uow,
            today=rt.today(),
            office_code=office,
            page=page,
            per_page=rt.settings.per_page,
        )
        office_names = offices.list_office_names(uow)
    return render_template("catalogue/index.html", listing=listing, office=office, office_names=office_names)


@bp.get("/<int:publication_id>")
def detail(publication_id: int) -> str:
    """Show one publication's page."""
    rt = current_runtime()
    today, clock = rt.today(), Clock(rt.timezone())  # read before the unit of work
    with rt.uow() as uow:
        publication = catalogue.get_publication(uow, publication_id, today=today, viewer=current_actor())
        usage = publication_usage(
            uow, current_actor(), publication_id, clock, today, public=rt.settings.usage_public
        )
        versions = version_history(uow, current_actor(), publication_id)
        collections = collections_of(uow, publication_id)
        cite = cite_section(uow, publication_id, rt.settings.base_url, current_actor())
    record_usage(publication_id, Kind.VIEW)
    return render_template(
        "catalogue/detail.html",
        pub=publication,
        usage=usage,
        versions=versions,
        collections=collections,
        cite=cite,
    )


@bp.get("/<int:publication_id>/sampul.png")
def cover(publication_id: int) -> Response:
    """Send a publication's cover thumbnail (public unless withdrawn: it carries no content to protect)."""
    rt = current_runtime()
    with rt.uow() as uow:
        sha256 = catalogue.thumbnail_of(uow, publication_id, current_actor())
    path = rt.store.path_for(sha256)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/png", etag=sha256, max_age=86400, conditional=True)
    return response

"""Persistent identifiers and citation files: /id/<prefix>/<number>, and .bib, .ris and DataCite XML.

The resolver answers a browser with 303 to the publication's page (the page's address may
change; the identifier never does), a reference manager asking by Accept for BibTeX, RIS or
DataCite XML with that format, a withdrawn publication's identifier with a tombstone (410).
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from library.identifiers import bibtex, datacite, records, resolving, ris
from runtime import links
from webapp.auth import current_actor
from webapp.current_runtime import current_runtime
from webapp.identifiers.blueprint import bp
from webapp.sending import content_disposition

BIBTEX = "application/x-bibtex"
RIS = "application/x-research-info-systems"
DATACITE = "application/vnd.datacite.datacite+xml"
HTML = "text/html"


def _file(body: str | bytes, kind: str, name: str) -> Response:
    """Return a citation file as a download with its type and name."""
    response = Response(body, content_type=f"{kind}; charset=utf-8")
    response.headers["Content-Disposition"] = content_disposition(name)
    response.vary.add("Accept")
    return response


def formatted(record: records.CitationRecord, kind: str) -> Response:
    """Return a publication in one of the citation formats, as a file named after its identifier."""
    key = bibtex.entry_key(record)
    if kind == BIBTEX:
        return _file(bibtex.bibtex(record), BIBTEX, f"{key}.bib")
    if kind == RIS:
        return _file(ris.ris(record), RIS, f"{key}.ris")
    return _file(datacite.datacite_xml(record), DATACITE, f"{key}-datacite.xml")


@bp.get(links.PERSISTENT)
def resolve(prefix: str, number: int) -> Response | tuple[str, int]:
    """Lead an identifier to its publication's page, its tombstone, or the citation format asked for."""
    wanted = request.accept_mimetypes.best_match([HTML, BIBTEX, RIS, DATACITE], default=HTML)
    rt = current_runtime()
    with rt.uow() as uow:
        where = resolving.resolve(uow, f"{prefix}/{number}", current_actor())
        record = None
        if wanted != HTML and where.may_see_page:
            record = resolving.citation_of(uow, where.publication_id, rt.settings.base_url, current_actor())
    if where.withdrawn_at is not None and not where.may_see_page:
        return render_template("identifiers/tombstone.html", where=where), 410
    if record is not None:
        return formatted(record, wanted)
    response = redirect(url_for("catalogue.detail", publication_id=where.publication_id), code=303)
    response.vary.add("Accept")
    return response


@bp.get("/id/<prefix>/<int:number>/datacite.xml")
def identifier_datacite(prefix: str, number: int) -> Response:
    """Send the DataCite XML of the publication an identifier names."""
    rt = current_runtime()
    with rt.uow() as uow:
        record = resolving.citation_by_identifier(
            uow, f"{prefix}/{number}", rt.settings.base_url, current_actor()
        )
    return formatted(record, DATACITE)


@bp.get("/katalog/<int:publication_id>/kutip.bib", defaults={"kind": "kutip.bib"})
@bp.get("/katalog/<int:publication_id>/kutip.ris", defaults={"kind": "kutip.ris"})
@bp.get("/katalog/<int:publication_id>/datacite.xml", defaults={"kind": "datacite.xml"})
def citation_file(publication_id: int, kind: str) -> Response:
    """Send a publication's DataCite XML, BibTeX or RIS file."""
    rt = current_runtime()
    with rt.uow() as uow:
        record = resolving.citation_of(uow, publication_id, rt.settings.base_url, current_actor())
    return formatted(record, {"kutip.bib": BIBTEX, "kutip.ris": RIS}.get(kind, DATACITE))
